// live.js — the live feed: one WebSocket to /api/updates, each message one flow summary as JSON.
// Contract: connectLive({onFlow, onState}) connects, reconnects after a drop (with back-off) and
// reports its state: 'live', 'reconnecting' or 'refused'. onState('live') after a reconnect
// means flows may have been missed: the caller reloads the list.

export function connectLive({ onFlow, onState }) {
  let delay = 1000;
  let opened = false;

  function open() {
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    const socket = new WebSocket(scheme + location.host + '/api/updates');
    socket.addEventListener('open', () => {
      delay = 1000;
      onState('live', opened);
      opened = true;
    });
    socket.addEventListener('message', (event) => {
      let flow;
      try {
        flow = JSON.parse(event.data);
      } catch {
        return;
      }
      if (flow && typeof flow === 'object' && 'id' in flow) onFlow(flow);
    });
    socket.addEventListener('close', () => {
      onState('reconnecting');
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 15000);
    });
  }

  open();
}
