// Tests of curl(1) and the `listen NS PORT http` server (src/tools/curl.ts, src/tools/directives.ts):
// the response bytes, the body on stdout, and curl 7.88.1's error lines and exit statuses for each
// way an HTTP GET can fail.

import { parseIpv4 } from '../../src/model/addr.js';
import { createSimulator } from '../../src/scenarios/simulator.js';
import { httpBody, httpResponse } from '../../src/tools/directives.js';
import { parseLab } from '../../src/tools/lab.js';
import { Shell } from '../../src/tools/shell.js';

function pair(): Shell {
  const shell = new Shell(createSimulator());
  for (const l of [
    'ip netns add a',
    'ip netns add b',
    'ip -n a link add eth0 type veth peer name eth0 netns b',
    'ip -n a link set eth0 address 02:00:00:00:00:0a up',
    'ip -n b link set eth0 address 02:00:00:00:00:0b up',
    'ip -n a addr add 10.0.0.1/24 dev eth0',
    'ip -n b addr add 10.0.0.2/24 dev eth0',
    'ip -n a neigh add 10.0.0.2 lladdr 02:00:00:00:00:0b dev eth0 nud permanent',
    'ip -n b neigh add 10.0.0.1 lladdr 02:00:00:00:00:0a dev eth0 nud permanent',
  ])
    shell.run(l);
  return shell;
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('the HTTP server of `listen NS PORT http`', () => {
  it('answers with fixed bytes: status, three headers, CRLFs, a body naming the namespace', () => {
    expect(text(httpResponse('b', '/'))).toBe(
      'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nConnection: close\r\n\r\nhello from b\n',
    );
    expect(text(httpBody('-', '/healthz'))).toBe('hello from -\n');
  });

  it.each([
    [1, '0'],
    [64, `${'0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-'}\n`],
    [70, `0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-\n012345`],
  ])('serves /bytes/%i as lines of 64 bytes cut at the length', (n, body) => {
    expect(text(httpBody('b', `/bytes/${n}`))).toBe(body);
  });

  it.each(['/bytes/0', '/bytes/10000001', '/bytes/x', '/bytes/5/'])('answers %s with the default body', (path) => {
    expect(text(httpBody('b', path))).toBe('hello from b\n');
  });

  it('parses the http form and keeps the silent one as it was', () => {
    const r = parseLab('listen b 80 http\nlisten - 8080', 't.lab');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.lab.lines.map((l) => l.cmd)).toEqual([
      { kind: 'listen', netns: 'b', port: 80, http: true },
      { kind: 'listen', netns: null, port: 8080 },
    ]);
    const bad = parseLab('listen b 80 https', 't.lab');
    expect(bad.ok ? '' : bad.error.message).toBe('listen: unexpected "https"');
  });
});

describe('curl against it', () => {
  it('prints the body on stdout and exits 0', () => {
    const shell = pair();
    shell.run('listen b 80 http');
    const r = shell.run('ip netns exec a curl -s -m 2 http://10.0.0.2/');
    expect(r.output.stdout).toBe('hello from b\n');
    expect(r.output.stderr).toBe('');
    expect(r.output.status).toBe(0);
    const big = shell.run('ip netns exec a curl -sS 10.0.0.2/bytes/100000');
    expect(big.output.stdout).toBe(text(httpBody('b', '/bytes/100000')));
    expect(big.output.status).toBe(0);
  });

  it.each([
    ['a closed port, -s', 'curl -s -m 1 http://10.0.0.2:81/', '', 7],
    [
      'a closed port, -sS',
      'curl -sS -m 1 http://10.0.0.2:81/',
      /^curl: \(7\) Failed to connect to 10\.0\.0\.2 port 81 after \d+ ms: Couldn't connect to server\n$/,
      7,
    ],
    [
      'no route',
      'curl -sS -m 1 http://192.0.2.1/',
      "curl: (7) Failed to connect to 192.0.2.1 port 80 after 0 ms: Couldn't connect to server\n",
      7,
    ],
    [
      'a silent listener',
      'curl -sS -m 1 http://10.0.0.2:8080/',
      /^curl: \(28\) Operation timed out after 1000 milliseconds with 0 bytes received\n$/,
      28,
    ],
  ])('%s', (_name, cmd, stderr, status) => {
    const shell = pair();
    shell.run('listen b 8080');
    const r = shell.run(`ip netns exec a ${cmd}`);
    if (typeof stderr === 'string') expect(r.output.stderr).toBe(stderr);
    else expect(r.output.stderr).toMatch(stderr);
    expect(r.output.stdout).toBe('');
    expect(r.output.status).toBe(status);
  });

  it('reports a server that closes without answering (52) and one that resets (56)', () => {
    const shell = pair();
    const sim = shell.sim;
    sim.tcp.listen('b', { port: 81 }, () => ({ data: (s) => s.close() }));
    sim.tcp.listen('b', { port: 82 }, () => ({ data: (s) => s.abort() }));
    expect(shell.run('ip netns exec a curl -sS -m 1 10.0.0.2:81').output.stderr).toBe('curl: (52) Empty reply from server\n');
    const reset = shell.run('ip netns exec a curl -sS -m 1 10.0.0.2:82');
    expect(reset.output.stderr).toBe('curl: (56) Recv failure: Connection reset by peer\n');
    expect(reset.output.status).toBe(56);
  });

  it('reports a body cut short by the close (18)', () => {
    const shell = pair();
    const reply = new TextEncoder().encode('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc');
    shell.sim.tcp.listen('b', { port: 83 }, () => ({
      data: (s) => {
        s.send(reply);
        s.close();
      },
    }));
    const r = shell.run('ip netns exec a curl -sS -m 1 10.0.0.2:83');
    expect(r.output.stdout).toBe('abc');
    expect(r.output.stderr).toBe('curl: (18) transfer closed with 7 bytes remaining to read\n');
  });

  it('leaves the server in TIME-WAIT and the client gone after a GET', async () => {
    const { tcpSockets } = await import('../../src/kernel/tcp.js');
    const shell = pair();
    shell.run('listen b 80 http');
    shell.run('ip netns exec a curl -s -m 1 10.0.0.2');
    expect(tcpSockets(shell.sim.view, 'a')).toEqual([]);
    expect(tcpSockets(shell.sim.view, 'b').map((r) => `${r.state} ${r.local.port}`)).toEqual(['LISTEN 80', 'TIME-WAIT 80']);
    expect(tcpSockets(shell.sim.view, 'b')[1].peer.addr).toBe(parseIpv4('10.0.0.1'));
  });
});

describe('curl -v, -I, -o, -w, --connect-timeout', () => {
  it('traces the connect, the request and the response header on stderr, the body on stdout', () => {
    const sh = pair();
    sh.run('listen b 80 http');
    const r = sh.run('ip netns exec a curl -sv -m 5 http://10.0.0.2/').output;
    expect(r.stdout).toBe('hello from b\n');
    expect(r.stderr).toBe(
      '*   Trying 10.0.0.2:80...\n' +
        '* Connected to 10.0.0.2 (10.0.0.2) port 80 (#0)\n' +
        '> GET / HTTP/1.1\r\n> Host: 10.0.0.2\r\n> User-Agent: curl/7.88.1\r\n> Accept: */*\r\n> \r\n' +
        '< HTTP/1.1 200 OK\r\n< Content-Type: text/plain\r\n< Content-Length: 13\r\n< Connection: close\r\n< \r\n' +
        '{ [13 bytes data]\n' +
        '* Closing connection 0\n',
    );
    expect(r.status).toBe(0);
  });

  it('sends HEAD for -I and prints the header as the body, the rest being excess', () => {
    const sh = pair();
    sh.run('listen b 80 http');
    const r = sh.run('ip netns exec a curl -svI -m 5 http://10.0.0.2/x').output;
    expect(r.stdout).toBe('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nConnection: close\r\n\r\n');
    expect(r.stderr).toContain('> HEAD /x HTTP/1.1\r\n');
    expect(r.stderr).toContain('* Excess found: excess = 13 url = /x (zero-length body)\n* Closing connection 0\n');
  });

  it('discards the body with -o and prints -w variables once done', () => {
    const sh = pair();
    sh.run('listen b 8080 http');
    const r = sh.run(
      'ip netns exec a curl -s -m 5 -o /dev/null -w %{http_code},%{remote_ip},%{remote_port},%{local_ip},%{size_download},%{exitcode},%{num_connects}%%\\n http://10.0.0.2:8080/bytes/64',
    ).output;
    expect(r.stdout).toBe('200,10.0.0.2,8080,10.0.0.1,64,0,1%\n');
  });

  it.each([
    ['-w [%{http_code}][%{remote_ip}][%{remote_port}][%{exitcode}][%{num_connects}]\\n http://10.0.0.2:81/', '[000][][0][7][0]\n', 7],
    ['--connect-timeout 1 -w %{exitcode}\\n http://10.0.0.9/', '28\n', 28],
  ])('curl -s %s prints what a failed connect leaves', (args, stdout, status) => {
    const sh = pair();
    sh.run('ip -n a neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev eth0 nud permanent');
    const r = sh.run(`ip netns exec a curl -s ${args}`).output;
    expect({ stdout: r.stdout, status: r.status }).toEqual({ stdout, status });
  });

  it('names the errno of a failed connect with -v', () => {
    const sh = pair();
    sh.run('ip -n a route add unreachable 10.0.5.0/24');
    expect(sh.run('ip netns exec a curl -sv http://10.0.0.2:81/').output.stderr).toBe(
      '*   Trying 10.0.0.2:81...\n' +
        '* connect to 10.0.0.2 port 81 failed: Connection refused\n' +
        "* Failed to connect to 10.0.0.2 port 81 after 0 ms: Couldn't connect to server\n" +
        '* Closing connection 0\n',
    );
    expect(sh.run('ip netns exec a curl -sv http://10.0.5.9/').output.stderr).toBe(
      '*   Trying 10.0.5.9:80...\n' +
        '* Immediate connect fail for 10.0.5.9: No route to host\n' +
        "* Failed to connect to 10.0.5.9 port 80 after 0 ms: Couldn't connect to server\n" +
        '* Closing connection 0\n',
    );
  });

  it('gives up an unanswered SYN at --connect-timeout with exit 28', () => {
    const sh = pair();
    sh.run('ip -n a neigh add 10.0.0.9 lladdr 02:00:00:00:00:09 dev eth0 nud permanent');
    const r = sh.run('ip netns exec a curl -sS --connect-timeout 1 http://10.0.0.9/').output;
    expect(r.stderr).toMatch(/^curl: \(28\) Failed to connect to 10\.0\.0\.9 port 80 after 100\d ms: Timeout was reached\n$/);
    expect(r.status).toBe(28);
  });
});
