// Go's fmt verbs for floating point as the printers of calicoctl use them (Go `strconv.FormatFloat`,
// `fmt` %g / %f / %e with a precision): the exact binary value is rounded to the wanted digits,
// half to even, which differs from JavaScript's `toFixed`/`toPrecision` on exact ties.

/** ExactDecimal is a finite non-negative double as decimal digits: value = 0.digits × 10^exp. */
interface ExactDecimal {
  digits: string;
  exp: number;
}

/** exactDecimal returns the exact decimal expansion of |x| (x finite), without trailing zeros. */
function exactDecimal(x: number): ExactDecimal {
  x = Math.abs(x);
  if (x === 0) return { digits: '', exp: 0 };
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e2: number;
  if (biased === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = biased - 1075;
  }
  // value = mant × 2^e2; as an integer over 10^k when e2 < 0 (2^-n = 5^n / 10^n).
  let intDigits: string;
  let scale = 0;
  if (e2 >= 0) intDigits = (mant << BigInt(e2)).toString();
  else {
    intDigits = (mant * 5n ** BigInt(-e2)).toString();
    scale = -e2;
  }
  // value = intDigits × 10^-scale
  const exp = intDigits.length - scale;
  return { digits: intDigits.replace(/0+$/, ''), exp };
}

/** roundDigits rounds d to n significant digits (n ≥ 0), half to even as Go's decimal.Round does. */
function roundDigits(d: ExactDecimal, n: number): ExactDecimal {
  if (n < 0) return { digits: '', exp: d.exp };
  if (d.digits.length <= n) return d;
  const kept = d.digits.slice(0, n);
  const next = d.digits.charCodeAt(n) - 48;
  let up: boolean;
  if (next > 5) up = true;
  else if (next < 5) up = false;
  else if (d.digits.length > n + 1) up = true;
  else up = n > 0 && (kept.charCodeAt(n - 1) - 48) % 2 === 1;
  if (!up) return { digits: kept.replace(/0+$/, ''), exp: d.exp };
  // Add one at position n-1 with carry.
  const arr = kept.split('').map((c) => c.charCodeAt(0) - 48);
  let i = arr.length - 1;
  while (i >= 0 && arr[i] === 9) {
    arr[i] = 0;
    i--;
  }
  if (i < 0) return { digits: '1', exp: d.exp + 1 };
  arr[i]++;
  return { digits: arr.join('').replace(/0+$/, ''), exp: d.exp };
}

/** goFormatFixed formats x as Go's `%.{prec}f` does. */
export function goFormatFixed(x: number, prec: number): string {
  if (!Number.isFinite(x)) return goSpecial(x);
  const neg = x < 0 || Object.is(x, -0);
  const d = roundDigits(exactDecimal(x), exactDecimal(x).exp + prec);
  // Digits before the point.
  let intPart: string;
  let frac: string;
  if (d.digits === '') {
    intPart = '0';
    frac = '0'.repeat(prec);
  } else if (d.exp <= 0) {
    intPart = '0';
    frac = ('0'.repeat(-d.exp) + d.digits).padEnd(prec, '0').slice(0, prec);
  } else {
    const all = d.digits.padEnd(d.exp, '0');
    intPart = all.slice(0, d.exp);
    frac = all.slice(d.exp).padEnd(prec, '0').slice(0, prec);
  }
  const body = prec > 0 ? `${intPart}.${frac}` : intPart;
  return neg ? `-${body}` : body;
}

/** goFormatG formats x as Go's `%.{prec}g` does (strconv 'g' with an explicit precision). */
export function goFormatG(x: number, prec: number): string {
  if (!Number.isFinite(x)) return goSpecial(x);
  if (prec === 0) prec = 1;
  const neg = x < 0 || Object.is(x, -0);
  const d = roundDigits(exactDecimal(x), prec);
  const nd = d.digits.length;
  const dp = nd === 0 ? 0 : d.exp;
  let eprec = prec;
  if (eprec > nd && nd >= dp) eprec = nd;
  const exp = dp - 1;
  let out: string;
  if (nd > 0 && (exp < -4 || exp >= eprec)) out = fmtE(d.digits, dp, Math.min(prec, nd) - 1);
  else out = fmtF(d.digits, dp, Math.max((prec > dp ? nd : prec) - dp, 0));
  return neg ? `-${out}` : out;
}

function digitAt(digits: string, i: number): string {
  return i >= 0 && i < digits.length ? digits[i] : '0';
}

function fmtE(digits: string, dp: number, prec: number): string {
  let s = digitAt(digits, 0);
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) s += digitAt(digits, i);
  }
  const exp = digits.length === 0 ? 0 : dp - 1;
  const ea = Math.abs(exp);
  return `${s}e${exp < 0 ? '-' : '+'}${ea < 10 ? '0' : ''}${ea}`;
}

function fmtF(digits: string, dp: number, prec: number): string {
  let s = '';
  if (dp > 0) for (let i = 0; i < dp; i++) s += digitAt(digits, i);
  else s = '0';
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) s += digitAt(digits, dp + i - 1);
  }
  return s;
}

function goSpecial(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  return x > 0 ? '+Inf' : '-Inf';
}
