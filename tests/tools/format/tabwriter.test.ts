// Tests for src/tools/format/tabwriter.ts against Go's own text/tabwriter examples
// (example_test.go), calicoctl and kubectl output from the seeds and calico-facts, and a real
// kubectl v1.32 printing a server's tables (tests/tools/kubectl has the full runs).

import fc from 'fast-check';
import {
  CALICOCTL_TABWRITER,
  KUBECTL_TABWRITER,
  Tabwriter,
  TabwriterFlags,
  tabwrite,
  type TabwriterConfig,
} from '../../../src/tools/format/tabwriter.js';

const lines = (...l: string[]): string => l.map((x) => `${x}\n`).join('');

describe('tabwriter', () => {
  it('reproduces ExampleWriter_Init with tab padding', () => {
    const cfg: TabwriterConfig = { minwidth: 0, tabwidth: 8, padding: 0, padchar: '\t', flags: 0 };
    expect(tabwrite(cfg, 'a\tb\tc\td\t.\n123\t12345\t1234567\t123456789\t.\n\n')).toBe(
      'a\tb\tc\td\t\t.\n123\t12345\t1234567\t123456789\t.\n\n',
    );
  });

  it('reproduces ExampleWriter_Init right-aligned', () => {
    const cfg: TabwriterConfig = { minwidth: 5, tabwidth: 0, padding: 1, padchar: ' ', flags: TabwriterFlags.AlignRight };
    expect(tabwrite(cfg, 'a\tb\tc\td\t.\n123\t12345\t1234567\t123456789\t.\n\n')).toBe(
      '    a     b       c         d.\n  123 12345 1234567 123456789.\n\n',
    );
  });

  it('reproduces Example_elastic: b and d sit in different column blocks', () => {
    const cfg: TabwriterConfig = {
      minwidth: 0,
      tabwidth: 0,
      padding: 1,
      padchar: '.',
      flags: TabwriterFlags.AlignRight | TabwriterFlags.Debug,
    };
    expect(tabwrite(cfg, 'a\tb\tc\naa\tbb\tcc\naaa\t\naaaa\tdddd\teeee\n')).toBe(
      lines('....a|..b|c', '...aa|.bb|cc', '..aaa|', '.aaaa|.dddd|eeee'),
    );
  });

  it('reproduces Example_trailingTab: text after the last tab is not aligned', () => {
    const cfg: TabwriterConfig = {
      minwidth: 0,
      tabwidth: 0,
      padding: 3,
      padchar: '-',
      flags: TabwriterFlags.AlignRight | TabwriterFlags.Debug,
    };
    expect(tabwrite(cfg, 'a\tb\taligned\t\naa\tbb\taligned\t\naaa\tbbb\tunaligned\naaaa\tbbbb\taligned\t\n')).toBe(
      lines('------a|------b|---aligned|', '-----aa|-----bb|---aligned|', '----aaa|----bbb|unaligned', '---aaaa|---bbbb|---aligned|'),
    );
  });

  it('pads every tab-terminated cell for calicoctl, so lines end in spaces (calico-facts §7)', () => {
    const text = 'NAME\tLOGSEVERITY\tMESHENABLED\tASNUMBER\t\ndefault\tInfo\ttrue\t64512\t\n';
    expect(tabwrite(CALICOCTL_TABWRITER, text)).toBe(
      lines('NAME      LOGSEVERITY   MESHENABLED   ASNUMBER   ', 'default   Info          true          64512      '),
    );
  });

  it('gives a column of short cells the minimum width 5 (calicoctl nodes -o wide)', () => {
    const text = 'NAME\tASN\tIPV4\tIPV6\t\nkvm335\t(64512)\t10.109.0.2/24\t\t\n';
    expect(tabwrite(CALICOCTL_TABWRITER, text)).toBe(
      lines('NAME     ASN       IPV4            IPV6   ', 'kvm335   (64512)   10.109.0.2/24          '),
    );
  });

  it('leaves kubectl lines unpadded at the end: the last cell is not tab-terminated (seed 003)', () => {
    const text =
      'NAME\tREADY\tSTATUS\tRESTARTS\tAGE\tIP\tNODE\tNOMINATED NODE\tREADINESS GATES\n' +
      'busybox-deployment-8c7dc8548-btnkv\t1/1\tRunning\t0\t6s\t192.168.196.131\tnode01\t<none>\t<none>\n' +
      'busybox-deployment-8c7dc8548-x6ljh\t1/1\tRunning\t0\t6s\t192.168.49.66\tcontrolplane\t<none>\t<none>\n';
    expect(tabwrite(KUBECTL_TABWRITER, text)).toBe(
      lines(
        'NAME                                 READY   STATUS    RESTARTS   AGE   IP                NODE           NOMINATED NODE   READINESS GATES',
        'busybox-deployment-8c7dc8548-btnkv   1/1     Running   0          6s    192.168.196.131   node01         <none>           <none>',
        'busybox-deployment-8c7dc8548-x6ljh   1/1     Running   0          6s    192.168.49.66     controlplane   <none>           <none>',
      ),
    );
  });

  it('ends a column block at a line without tabs', () => {
    // The middle line flushes: the column widths above and below it are independent.
    expect(tabwrite(CALICOCTL_TABWRITER, 'a\tb\t\nheading\nlonger-cell\tb\t\n')).toBe(
      lines('a    b    ', 'heading', 'longer-cell   b    '),
    );
  });

  it('keeps widths across flushes with RememberWidths, as kubectl does between row batches', () => {
    const w = new Tabwriter(KUBECTL_TABWRITER);
    w.write('a-long-name\tx\n');
    w.flush();
    w.write('b\ty\n');
    w.flush();
    expect(w.output()).toBe(lines('a-long-name   x', 'b             y'));
    const plain = new Tabwriter({ ...KUBECTL_TABWRITER, flags: 0 });
    plain.write('a-long-name\tx\n');
    plain.flush();
    plain.write('b\ty\n');
    plain.flush();
    expect(plain.output()).toBe(lines('a-long-name   x', 'b     y'));
  });

  it('counts runes, not UTF-16 units or bytes', () => {
    expect(tabwrite(CALICOCTL_TABWRITER, 'é\tx\t\nab\ty\t\n')).toBe(lines('é    x    ', 'ab   y    '));
  });

  it('aligns every column: all lines of a block share the cell boundaries (property)', () => {
    const cell = fc.stringMatching(/^[a-z0-9./:()<>-]{0,12}$/);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.array(cell, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 6 }),
        (ncols, rows) => {
          const text = rows
            .map(
              (r) =>
                `${r
                  .slice(0, ncols)
                  .map((c) => `${c}\t`)
                  .join('')}\n`,
            )
            .join('');
          const out = tabwrite(CALICOCTL_TABWRITER, text).split('\n').slice(0, -1);
          const widths = Array.from({ length: ncols }, (_, j) => Math.max(5, ...rows.map((r) => r[j].length + 3)));
          const total = widths.reduce((a, b) => a + b, 0);
          return out.length === rows.length && out.every((l) => l.length === total);
        },
      ),
    );
  });
});
