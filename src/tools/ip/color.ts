// The colours of `ip -c` (iproute2 6.1 lib/color.c: color_fprintf, attr_colors_light, ifa_family_color,
// oper_state_color). Without COLORFGBG (as in a lab) the light-background palette applies; `-j` turns
// colour off (check_enable_color).

/** ColorAttr is a colour attribute of lib/color.c. */
export type ColorAttr = 'ifname' | 'mac' | 'inet' | 'inet6' | 'operstate-up' | 'operstate-down';

/** ATTR_CODES maps each attribute to its escape sequence in the light palette (cyan, yellow, magenta, blue, green, red). */
const ATTR_CODES: Readonly<Record<ColorAttr, string>> = {
  ifname: '\x1b[36m',
  mac: '\x1b[33m',
  inet: '\x1b[35m',
  inet6: '\x1b[34m',
  'operstate-up': '\x1b[32m',
  'operstate-down': '\x1b[31m',
};

/** C_CLEAR ends a coloured span. */
const C_CLEAR = '\x1b[0m';

/** Paint is color_fprintf with colour on or off: the text, wrapped in its attribute's sequences when on. */
export type Paint = (attr: ColorAttr | null, text: string) => string;

/** paintWith returns the painter for `-c` (on) or its absence (off). */
export function paintWith(on: boolean): Paint {
  if (!on) return (_attr, text) => text;
  return (attr, text) => (attr === null ? text : `${ATTR_CODES[attr]}${text}${C_CLEAR}`);
}

/** operstateColor is oper_state_color: UP is green, DOWN red, the other states plain. */
export function operstateColor(state: string): ColorAttr | null {
  return state === 'UP' ? 'operstate-up' : state === 'DOWN' ? 'operstate-down' : null;
}
