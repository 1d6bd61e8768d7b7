/**
 * Guard script part: no network. Node's permission model (22, 24) does not cover it, so the JavaScript entry points
 * are replaced by functions that throw (`net.Socket#connect`, `net.Server#listen` and its legacy `_listen2`,
 * `net._createServerHandle`, `dgram` sockets, every `dns` lookup) — and so are the native handles' own methods
 * (TCP, Pipe, UDP, the c-ares channel): model-written code once reached them through `net._createServerHandle` or
 * `process.stdout._handle` and connected to host sockets, a Unix socket even through a network namespace. The
 * handle classes are found without any network activity (a connect with an invalid port throws after making its
 * handle). Runs inside the guard's IIFE (`denied`, `lock` in scope).
 */
export const NETWORK_GUARD = String.raw`
  const net = require('node:net');
  const dgram = require('node:dgram');
  const dns = require('node:dns');
  const connect = net.Socket.prototype.connect;
  const handleClass = (options) => {
    const socket = new net.Socket();
    try { connect.call(socket, options); } catch {}
    const found = socket._handle && socket._handle.constructor;
    socket.destroy();
    return found;
  };
  const TCP = handleClass({ port: -1 });
  const Pipe = handleClass({ path: true });
  const udp = dgram.createSocket('udp4');
  const udpState = Object.getOwnPropertySymbols(udp).map((key) => udp[key]).find((state) => state && state.handle);
  const UDP = udpState && udpState.handle.constructor;
  udp.close();
  const ChannelWrap = new dns.Resolver()._handle.constructor;
  if (!TCP || !Pipe || !UDP || !ChannelWrap) throw new Error('switchyard sandbox: could not find the network handles to lock');
  const lockAll = (proto, keys, what) => {
    for (const key of keys) if (typeof proto[key] === 'function') lock(proto, key, denied(what));
  };
  lockAll(TCP.prototype, ['connect', 'connect6', 'bind', 'bind6', 'listen', 'open'], 'network access');
  lockAll(Pipe.prototype, ['connect', 'bind', 'listen'], 'network access');
  lockAll(UDP.prototype, ['open', 'bind', 'bind6', 'connect', 'connect6', 'send', 'send6'], 'network access');
  lockAll(ChannelWrap.prototype, Object.getOwnPropertyNames(ChannelWrap.prototype).filter((key) => key.startsWith('query') || key === 'getHostByAddr'), 'DNS');
  lock(net.Socket.prototype, 'connect', denied('network access'));
  lock(net.Server.prototype, 'listen', denied('listening on the network'));
  lock(net.Server.prototype, '_listen2', denied('listening on the network'));
  lock(net, '_createServerHandle', denied('listening on the network'));
  for (const key of ['bind', 'connect', 'send']) lock(dgram.Socket.prototype, key, denied('network access'));
  const lookups = ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa',
    'resolveCname', 'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv',
    'resolveTlsa', 'resolveTxt', 'reverse'];
  for (const target of [dns, dns.promises, dns.Resolver.prototype, dns.promises.Resolver.prototype]) {
    for (const key of lookups) if (typeof target[key] === 'function') lock(target, key, denied('DNS'));
  }
`;
