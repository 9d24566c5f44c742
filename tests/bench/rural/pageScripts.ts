// Scripts the rural bench puts in every page (ours and the bare baseline alike).

/**
 * Wraps RTCPeerConnection: relay only, and every ICE candidate whose address is not one of `allowed` (127.0.0.1 and the
 * bench's own namespace link, both this machine's) is dropped before the page sees it, so no packet leaves the machine.
 */
export function linkIceScript(allowed: string[]): string {
  return `(() => {
    const Native = window.RTCPeerConnection;
    const allowed = ${JSON.stringify(allowed)};
    const keep = (c) => !c || !c.candidate || allowed.some((a) => c.candidate.includes(' ' + a + ' '));
    class LinkPeerConnection extends Native {
      constructor(config, ...rest) {
        super({ ...(config || {}), iceTransportPolicy: 'relay' }, ...rest);
        window.__peerConnections = (window.__peerConnections || []).concat(this);
      }
      set onicecandidate(fn) { super.onicecandidate = fn && ((ev) => { if (keep(ev.candidate)) fn.call(this, ev); }); }
      get onicecandidate() { return super.onicecandidate; }
      addEventListener(type, fn, opts) {
        if (type !== 'icecandidate' || typeof fn !== 'function') return super.addEventListener(type, fn, opts);
        return super.addEventListener(type, (ev) => { if (keep(ev.candidate)) fn.call(this, ev); }, opts);
      }
    }
    window.RTCPeerConnection = LinkPeerConnection;
  })();`;
}

/**
 * The first frame presented by each remote <video> (epoch ms), as bench:call measures it: the page is polled every 5 ms
 * until that frame, then every 500 ms (a 5 ms poll of a large page, all call long, would cost it CPU the bare page does
 * not pay).
 */
export const FIRST_FRAME_SCRIPT = `(() => {
  window.__firstFrames = [];
  const seen = new WeakSet();
  const look = () => {
    for (const v of document.querySelectorAll('video[data-role="remote"], video#remote')) {
      if (seen.has(v) || !v.srcObject) continue;
      seen.add(v);
      v.requestVideoFrameCallback((now) => window.__firstFrames.push(performance.timeOrigin + now));
    }
    setTimeout(look, window.__firstFrames.length > 0 ? 500 : 5);
  };
  look();
})();`;

/**
 * Every 250 ms, a compact row of the latest peer connection's getStats (what this page receives and sends, the selected
 * pair) and the level the page shows; every second, the raw entries the step-down reads (the fixtures of its unit tests).
 */
export const STATS_SCRIPT = `(() => {
  window.__rows = [];
  window.__raw = [];
  let tick = 0;
  setInterval(async () => {
    const list = window.__peerConnections || [];
    const pc = list[list.length - 1];
    if (!pc || pc.connectionState === 'closed') return;
    const report = await pc.getStats();
    const row = { t: performance.timeOrigin + performance.now(), level: document.querySelector('[data-level]')?.getAttribute('data-level') || null };
    const raw = [];
    let selected = null;
    const pairs = {};
    report.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'video') {
        row.vFrames = s.framesDecoded || 0; row.vRecv = s.framesReceived || 0; row.vDropped = s.framesDropped || 0; row.vW = s.frameWidth || 0; row.vH = s.frameHeight || 0; row.vLost = s.packetsLost || 0; row.vNack = s.nackCount || 0; row.vPli = s.pliCount || 0;
        row.freezes = s.freezeCount || 0; row.freezeS = s.totalFreezesDuration || 0;
      } else if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        row.aConcealed = s.concealedSamples || 0; row.aSamples = s.totalSamplesReceived || 0;
        row.aPackets = s.packetsReceived || 0; row.aLost = s.packetsLost || 0;
        raw.push({ type: 'inbound-rtp', kind: 'audio', packetsReceived: s.packetsReceived, packetsLost: s.packetsLost, jitter: s.jitter });
      } else if (s.type === 'outbound-rtp' && s.kind === 'video') {
        row.oH = s.frameHeight || 0; row.oBytes = s.bytesSent || 0; row.oLimit = s.qualityLimitationReason || ''; row.oFrames = s.framesEncoded || 0; row.oSent = s.framesSent || 0; row.oKey = s.keyFramesEncoded || 0; row.oTarget = s.targetBitrate || 0;
      } else if (s.type === 'media-source' && s.kind === 'video') {
        row.srcFrames = s.frames || 0; row.srcW = s.width || 0;
      } else if (s.type === 'candidate-pair') pairs[s.id] = s;
      else if (s.type === 'transport' && s.selectedCandidatePairId) selected = s.selectedCandidatePairId;
    });
    const pair = selected && pairs[selected];
    if (pair) {
      row.rtt = pair.currentRoundTripTime ?? null; row.aob = pair.availableOutgoingBitrate ?? null;
      raw.push({ type: 'candidate-pair', id: pair.id, nominated: pair.nominated, state: pair.state, currentRoundTripTime: pair.currentRoundTripTime, availableOutgoingBitrate: pair.availableOutgoingBitrate });
      raw.push({ type: 'transport', id: 'T', selectedCandidatePairId: pair.id });
    }
    window.__rows.push(row);
    if (tick++ % 4 === 0) window.__raw.push({ t: row.t, level: row.level, entries: raw });
  }, 250);
})();`;

/** The agent answers as soon as a call rings, from inside the page (Playwright clicks lag behind a busy page). */
export const AUTO_ACCEPT_SCRIPT = `setInterval(() => {
  const b = [...document.querySelectorAll('.agent__ringing button')].find((x) => x.textContent.includes('Décrocher') && !x.disabled);
  if (b) b.click();
}, 50);`;

