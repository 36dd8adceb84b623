// live.js — the live feed: one WebSocket to /api/updates, each message one flow summary as JSON.
// Contract: connectLive({onFlow, onHidden, onFilterError, onState}) connects, reconnects after a
// drop (with back-off) and reports its state: 'live', 'reconnecting' or 'refused'. onState('live')
// after a reconnect means flows may have been missed: the caller reloads the list. It returns
// {setFilter(queryString)}: the server then sends only flows matching that /api/flows filter
// (re-sent on every reconnect), and {backgroundHidden: id} for a flow hidden only as background.
// {resync: true} means the server dropped flows for this page (it read too slowly): it is
// reported as onState('live', true), so the caller reloads the list as after a reconnect.

export function connectLive({ onFlow, onHidden = () => {}, onFilterError = () => {}, onState }) {
  let delay = 1000;
  let opened = false;
  let socket = null;
  let filter = null;

  function subscribe() {
    if (filter !== null && socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ filter }));
    }
  }

  function open() {
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    socket = new WebSocket(scheme + location.host + '/api/updates');
    socket.addEventListener('open', () => {
      delay = 1000;
      subscribe();
      onState('live', opened);
      opened = true;
    });
    socket.addEventListener('message', (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (!message || typeof message !== 'object') return;
      if ('id' in message) onFlow(message);
      else if ('backgroundHidden' in message) onHidden(message.backgroundHidden);
      else if ('filterError' in message) onFilterError(String(message.filterError));
      else if (message.resync === true) onState('live', true);
    });
    socket.addEventListener('close', () => {
      onState('reconnecting');
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 15000);
    });
  }

  open();
  return {
    setFilter(queryString) {
      filter = queryString;
      subscribe();
    },
  };
}
