/* The agent console of the reference server: plain JavaScript, no build step.
 * It talks to the server over the `/agent` socket.io namespace (docs/protocol.md §11) and inserts
 * every text with textContent, never as HTML. The chats it answers are those held under the
 * name at the top; others' chats it can take over (a transfer to itself).
 * test/browser/console.test.ts drives it in Chromium. */
/* global io, document, window, location, localStorage, sessionStorage, fetch, FormData, Notification, setTimeout, clearTimeout, URLSearchParams, URL */
'use strict';

(function main() {
  var $ = function (id) { return document.getElementById(id); };

  var state = {
    config: null,
    socket: null,
    areas: new Map(),
    chats: new Map(),
    lines: new Map(),
    previews: new Map(),
    unread: new Map(),
    seen: new Set(),
    /** What is written but not sent, per chat: a reply meant for one customer never goes to another. */
    drafts: new Map(),
    /** The messages customers left (errands), by id. */
    errands: new Map(),
    /** The sidebar entry of each chat and errand, kept across renders: a click that lands while the list changes still reaches its entry. */
    items: new Map(),
    selected: null,
    selectedErrand: null,
    typingSent: 0,
    typingTimer: null,
    sending: false,
  };

  // ---------------------------------------------------------------- small helpers

  /** Creates an element with a class and text; text always goes in as text. */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function agentName() {
    return $('agentName').value.trim();
  }

  var toastTimer = null;
  var toastAction = null;
  /** Shows a passing message; a click on it dismisses it and does `onClick` (e.g. opens the new chat). */
  function toast(text, onClick) {
    var box = $('toast');
    box.textContent = text;
    box.hidden = false;
    toastAction = onClick || null;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { box.hidden = true; }, 5000);
  }

  function note(text, isError) {
    var box = $('composerNote');
    box.textContent = text || '';
    box.className = isError ? 'note error' : 'note';
  }

  function since(epochMs) {
    var minutes = Math.max(0, Math.round((Date.now() - epochMs) / 60000));
    return minutes < 1 ? 'just now' : minutes + ' min ago';
  }

  function request(event, payload) {
    return new Promise(function (resolve) {
      if (!state.socket || !state.socket.connected) return resolve({ error: 'not connected to the server' });
      state.socket.emit(event, payload, resolve);
    });
  }

  function readKey() {
    var fromHash = new URLSearchParams(location.hash.slice(1)).get('key');
    if (fromHash) {
      sessionStorage.setItem('cention-console-key', fromHash);
      return fromHash;
    }
    return sessionStorage.getItem('cention-console-key') || undefined;
  }

  // ---------------------------------------------------------------- notifications

  /** The tab title counts what waits for this agent: waiting chats, and unread messages in their own chats. */
  function updateTitle() {
    var count = 0;
    state.chats.forEach(function (chat) {
      if (chat.state === 'queued') count++;
      else if (isMine(chat)) count += state.unread.get(chat.sessionId) || 0;
    });
    document.title = (count > 0 ? '(' + count + ') ' : '') + 'Agent console · Cention chat reference server';
  }

  function notifyNewChat(chat) {
    var text = 'New chat in ' + chat.areaName + ' from ' + chat.clientName;
    toast(text + ' (click to open)', function () { select(chat.sessionId); });
    if (window.Notification && Notification.permission === 'granted' && document.visibilityState !== 'visible') {
      var notification = new Notification('Cention agent console', { body: text, tag: 'chat-' + chat.sessionId });
      notification.onclick = function () { window.focus(); select(chat.sessionId); };
    }
  }

  // ---------------------------------------------------------------- rendering: sidebar

  function renderAreas() {
    var list = $('areas');
    list.replaceChildren();
    state.areas.forEach(function (area) {
      var queued = 0;
      state.chats.forEach(function (chat) { if (chat.areaId === area.id && chat.state === 'queued') queued++; });
      var item = el('li');
      item.append(el('span', '', area.id + ' ' + area.name));
      var status = !area.open ? 'closed' : area.agentsOnline === 0 ? 'no agents' : area.mode + ', ' + queued + '/' + (area.queueLimit === null ? '∞' : area.queueLimit) + ' waiting';
      item.append(el('span', 'state', status));
      list.append(item);
    });
  }

  /**
   * The entry of `key` in the sidebar, made once with its parts and its click, and updated in
   * place from then on: rebuilding it would drop a click that lands mid-render (leaving the name
   * field re-renders the sidebar on the way to the click).
   */
  function entry(key, dataName, dataValue, onOpen) {
    var item = state.items.get(key);
    if (item) return item;
    item = el('li');
    item.dataset[dataName] = String(dataValue);
    item.tabIndex = 0;
    item.append(el('span', 'who'), el('span'), el('span', 'meta'));
    item.addEventListener('click', onOpen);
    item.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        onOpen();
      }
    });
    state.items.set(key, item);
    return item;
  }

  function chatItem(chat) {
    var item = entry('chat-' + chat.sessionId, 'sessionId', chat.sessionId, function () { select(chat.sessionId); });
    item.classList.toggle('selected', chat.sessionId === state.selected);
    item.classList.toggle('new', chat.state === 'queued' && !state.seen.has(chat.sessionId));
    item.children[0].textContent = chat.clientName;
    var unread = state.unread.get(chat.sessionId) || 0;
    item.children[1].textContent = unread > 0 ? String(unread) : '';
    item.children[1].className = unread > 0 ? 'badge' : '';
    var meta = chat.areaName + ' · #' + chat.sessionId;
    if (chat.state === 'queued') meta += ' · place ' + chat.queuePosition + ' · ' + since(chat.startedAt);
    if (chat.state === 'assigned') meta += ' · ' + chat.agent;
    if (!chat.online && chat.state !== 'ended') meta += ' · offline';
    if (chat.rating) meta += ' · rated ' + chat.rating.rating + '/5';
    item.children[2].textContent = meta;
    return item;
  }

  /** Makes `list` hold exactly `items` in this order (or its note when none), moving only what is out of place. */
  function fill(list, items, emptyText) {
    var note = state.items.get('empty-' + list.id);
    if (!note) state.items.set('empty-' + list.id, (note = el('li', 'empty-note', emptyText)));
    var wanted = items.length > 0 ? items : [note];
    wanted.forEach(function (item, index) {
      if (list.children[index] !== item) list.insertBefore(item, list.children[index] || null);
    });
    while (list.children.length > wanted.length) list.lastElementChild.remove();
  }

  function setCount(id, count) {
    var badge = $(id);
    badge.textContent = String(count);
    badge.className = count === 0 ? 'count zero' : 'count';
  }

  function renderChats() {
    // Chats nobody can act on now fold away: ended ones, and those whose customer has gone (not your own).
    var groups = { waiting: [], mine: [], others: [], away: [], ended: [] };
    state.chats.forEach(function (chat) {
      if (chat.state === 'ended') groups.ended.push(chat);
      else if (isMine(chat)) groups.mine.push(chat);
      else if (!chat.online) groups.away.push(chat);
      else if (chat.state === 'queued') groups.waiting.push(chat);
      else groups.others.push(chat);
    });
    groups.waiting.sort(function (a, b) { return a.areaId - b.areaId || a.queuePosition - b.queuePosition; });
    groups.ended.reverse();
    Object.keys(groups).forEach(function (key) {
      fill($(key), groups[key].map(chatItem), key === 'waiting' ? 'Nobody is waiting.' : 'None.');
    });
    setCount('waitingCount', groups.waiting.length);
    setCount('awayCount', groups.away.length);
    setCount('endedCount', groups.ended.length);
    renderErrands();
    renderAreas();
    updateTitle();
  }

  function errandItem(errand) {
    var item = entry('errand-' + errand.id, 'errandId', errand.id, function () { selectErrand(errand.id); });
    item.classList.toggle('selected', errand.id === state.selectedErrand);
    item.children[0].textContent = errand.name;
    item.children[2].textContent = errand.areaName + ' · ' + errand.reference + ' · ' + errand.subject;
    return item;
  }

  function renderErrands() {
    var newestFirst = Array.from(state.errands.values()).reverse();
    fill($('errands'), newestFirst.map(errandItem), 'None.');
    setCount('errandsCount', newestFirst.length);
  }

  // ---------------------------------------------------------------- rendering: the open chat

  /** An address the console may link to: http(s) only, resolved against this page; null otherwise. */
  function safeLink(href) {
    if (typeof href !== 'string') return null;
    try {
      var url = new URL(href, location.href);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch {
      return null;
    }
  }

  /** One transcript line. System events (`line.file`) come only from the server's own records, never from a message's text. */
  function lineItem(line) {
    var item = el('li', line.sender === 'CLIENT' ? 'client' : line.sender === 'AGENT' ? 'agent' : 'system');
    if (line.file) {
      item.className = line.sender === 'CLIENT' ? 'client' : 'agent';
      item.append(el('span', 'line-meta', line.sentHuman + ' · ' + line.who));
      item.append(el('span', '', line.text + ' '));
      var label = line.file.name + ' (' + line.file.sizeHuman + ')';
      var href = safeLink(line.href);
      if (!href) {
        item.append(el('span', '', label));
        return item;
      }
      var link = el('a', '', label);
      link.href = href;
      link.setAttribute('download', line.file.name);
      item.append(link);
      return item;
    }
    if (line.who) item.append(el('span', 'line-meta', line.sentHuman + ' · ' + line.who));
    else item.append(el('span', 'line-meta', line.sentHuman));
    item.append(el('span', '', line.text));
    return item;
  }

  function renderTranscript() {
    var list = $('transcript');
    list.replaceChildren();
    (state.lines.get(state.selected) || []).forEach(function (line) { list.append(lineItem(line)); });
    list.scrollTop = list.scrollHeight;
  }

  function renderPreview() {
    var chat = state.chats.get(state.selected);
    var preview = state.previews.get(state.selected) || '';
    $('customerTyping').textContent = chat && preview ? chat.clientName + ' is typing: ' + preview : '';
  }

  /** A chat this console answers: held by a person under the name written at the top. */
  function isMine(chat) {
    return Boolean(chat) && chat.state === 'assigned' && chat.agentKind === 'person' && chat.agent === agentName();
  }

  /** A chat someone else answers (a colleague or a simulated agent), which this console can take over. */
  function isOthers(chat) {
    return Boolean(chat) && chat.state === 'assigned' && !isMine(chat);
  }

  function renderErrand() {
    var errand = state.errands.get(state.selectedErrand);
    $('errandView').hidden = !errand;
    if (!errand) return;
    $('errandTitle').textContent = errand.name + ' · ' + errand.areaName + ' ' + errand.reference;
    $('errandDetails').textContent = [errand.email, 'left ' + new Date(errand.createdAt).toLocaleString()].join(' · ');
    $('errandSubject').textContent = errand.subject;
    $('errandMessage').textContent = errand.message;
  }

  function renderHead() {
    var chat = state.chats.get(state.selected);
    // On a phone the list and what is open take turns: this says something is open.
    document.body.classList.toggle('showing', Boolean(chat) || state.errands.has(state.selectedErrand));
    renderErrand();
    $('empty').hidden = Boolean(chat) || state.errands.has(state.selectedErrand);
    $('conversation').hidden = !chat;
    if (!chat) return;
    var area = state.areas.get(chat.areaId);
    $('chatTitle').textContent = chat.clientName + ' · ' + chat.areaName + ' #' + chat.sessionId;
    var details = [chat.email, chat.phone, chat.state === 'queued' ? 'waiting, place ' + chat.queuePosition : chat.state === 'ended' ? 'ended' : 'with ' + chat.agent, chat.online ? 'online' : 'offline'];
    $('chatDetails').textContent = details.filter(Boolean).join(' · ');
    $('chatPage').textContent = chat.href ? 'Page: ' + chat.href : '';
    $('chatRating').textContent = chat.rating ? 'Rated ' + chat.rating.rating + '/5 by the customer' + (chat.rating.comment ? ': “' + chat.rating.comment + '”' : '') : '';
    var canWrite = isMine(chat);
    $('takeButton').hidden = chat.state !== 'queued';
    $('takeOverButton').hidden = !isOthers(chat);
    $('takeOverButton').title = isOthers(chat) ? 'Transfer the chat from ' + chat.agent + ' to you' : '';
    $('endButton').hidden = !(chat.state === 'queued' || canWrite);
    $('transferButton').hidden = !canWrite;
    $('leaveButton').hidden = !canWrite;
    if (!canWrite) $('transferForm').hidden = true;
    $('deliveredButton').hidden = !canWrite || chat.undelivered === 0;
    $('deliveredButton').textContent = 'Mark delivered (' + chat.undelivered + ')';
    $('reply').disabled = !canWrite;
    $('reply').placeholder = canWrite
      ? 'Write a reply. Enter sends, Shift+Enter starts a new line.'
      : chat.state === 'queued' ? 'Take the chat to reply.'
        : chat.state === 'ended' ? 'This chat has ended.'
          : chat.agentKind === 'simulated' ? 'A simulated agent answers this chat. Take it over to answer yourself.'
            : chat.agent + ' answers this chat. Take it over to answer yourself.';
    $('sendButton').disabled = !canWrite || state.sending;
    var canAttach = canWrite && area && area.attachments;
    $('attachInput').disabled = !canAttach;
    $('attachLabel').className = canAttach ? 'attach' : 'attach disabled';
    $('attachLabel').title = area && !area.attachments ? 'Attachments are off in this area' : '';
  }

  function render() {
    renderChats();
    renderHead();
    renderPreview();
  }

  // ---------------------------------------------------------------- actions

  function select(sessionId) {
    if (state.selected !== sessionId) {
      leaveComposer();
      $('reply').value = state.drafts.get(sessionId) || '';
      $('transferForm').hidden = true;
    }
    state.selected = sessionId;
    state.selectedErrand = null;
    state.seen.add(sessionId);
    state.unread.delete(sessionId);
    note('');
    render();
    renderTranscript();
    return request('agent:open', { sessionId: sessionId }).then(function (reply) {
      if (reply.error) return note(reply.error, true);
      state.chats.set(sessionId, reply.chat);
      state.lines.set(sessionId, reply.lines);
      if (state.selected !== sessionId) return;
      render();
      renderTranscript();
      markDeliveredIfVisible();
    });
  }

  /** Opens a message a customer left. */
  function selectErrand(id) {
    leaveComposer();
    state.selected = null;
    state.selectedErrand = id;
    note('');
    render();
  }

  /** On a phone: back to the list (what was written stays as the chat's draft). */
  function back() {
    leaveComposer();
    state.selected = null;
    state.selectedErrand = null;
    render();
  }

  function markDeliveredIfVisible() {
    var chat = state.chats.get(state.selected);
    if (isMine(chat) && chat.undelivered > 0 && document.visibilityState === 'visible') {
      request('agent:ack', { sessionId: chat.sessionId });
    }
  }

  /** The name the customer will see, or nothing (with a note saying why) when none is written. */
  function requireName() {
    var name = agentName();
    if (!name) {
      note('Write your name at the top first: the customer sees it.', true);
      $('agentName').focus();
    }
    return name;
  }

  function take() {
    var chat = state.chats.get(state.selected);
    var name = chat && requireName();
    if (!name) return;
    request('agent:take', { sessionId: chat.sessionId, name: name }).then(function (reply) {
      // The agent may have turned to another chat before the answer came: its note is not ours to touch.
      if (state.selected !== chat.sessionId) return;
      if (reply.error) return note(reply.error, true);
      note('');
      $('reply').focus();
      markDeliveredIfVisible();
    });
  }

  /** Hands the chat to `name`; with this console's own name it takes the chat over from whoever had it. */
  function transferTo(chat, name) {
    return request('agent:transfer', { sessionId: chat.sessionId, name: name }).then(function (reply) {
      if (reply.error) {
        note(reply.error, true);
        return false;
      }
      note(name === agentName() ? '' : 'Transferred to ' + name + '.');
      return true;
    });
  }

  function takeOver() {
    var chat = state.chats.get(state.selected);
    var name = isOthers(chat) && requireName();
    if (!name) return;
    transferTo(chat, name).then(function (done) {
      if (done) $('reply').focus();
    });
  }

  function transfer(event) {
    event.preventDefault();
    var chat = state.chats.get(state.selected);
    var name = $('transferName').value.trim();
    if (!isMine(chat)) return;
    if (!name || name === agentName()) {
      note(name ? 'That is you: write the name of the colleague who takes the chat.' : 'Write the name of the colleague who takes the chat.', true);
      $('transferName').focus();
      return;
    }
    leaveComposer();
    transferTo(chat, name).then(function (done) {
      if (!done) return;
      $('transferForm').hidden = true;
      $('transferName').value = '';
    });
  }

  function leave() {
    var chat = state.chats.get(state.selected);
    if (!isMine(chat)) return;
    leaveComposer();
    request('agent:leave', { sessionId: chat.sessionId }).then(function (reply) {
      note(reply.error || 'You left the chat; it waits for the next agent.', Boolean(reply.error));
    });
  }

  function sendTyping(length) {
    var chat = state.chats.get(state.selected);
    if (!isMine(chat) || length === state.typingSent) return;
    state.typingSent = length;
    request('agent:type', { sessionId: chat.sessionId, messageLen: length });
  }

  /**
   * Before the open chat changes hands or the console turns to another chat: keep what is
   * written as that chat's draft, and tell its customer the agent stopped typing.
   */
  function leaveComposer() {
    var chat = state.chats.get(state.selected);
    clearTimeout(state.typingTimer);
    state.typingTimer = null;
    if (state.selected !== null) {
      if ($('reply').value) state.drafts.set(state.selected, $('reply').value);
      else state.drafts.delete(state.selected);
    }
    if (isMine(chat) && state.typingSent > 0) request('agent:type', { sessionId: chat.sessionId, messageLen: 0 });
    state.typingSent = 0;
  }

  function onReplyInput() {
    // At most one typing update per 400 ms while typing; "stopped" goes out at once.
    var length = $('reply').value.length;
    if (length === 0) {
      clearTimeout(state.typingTimer);
      state.typingTimer = null;
      return sendTyping(0);
    }
    if (state.typingTimer) return;
    state.typingTimer = setTimeout(function () {
      state.typingTimer = null;
      sendTyping($('reply').value.length);
    }, 400);
  }

  function send(event) {
    event.preventDefault();
    var chat = state.chats.get(state.selected);
    var written = $('reply').value;
    var text = written.trim();
    // One reply at a time: a second Enter while the first is on its way would send it twice.
    if (!isMine(chat) || !text || state.sending) return;
    clearTimeout(state.typingTimer);
    state.typingTimer = null;
    state.sending = true;
    $('sendButton').disabled = true;
    request('agent:say', { sessionId: chat.sessionId, text: text }).then(function (reply) {
      state.sending = false;
      if (reply.error) {
        renderHead();
        return note(reply.error, true);
      }
      // The console may have turned to another chat meanwhile: clear this chat's text, not that one's.
      if (state.selected === chat.sessionId) {
        state.typingSent = 0;
        if ($('reply').value === written) $('reply').value = '';
        note('');
      } else if (state.drafts.get(chat.sessionId) === written) {
        state.drafts.delete(chat.sessionId);
      }
      renderHead();
    });
  }

  function attach() {
    var chat = state.chats.get(state.selected);
    var input = $('attachInput');
    var file = input.files && input.files[0];
    if (!isMine(chat) || !file) return;
    note('Uploading ' + file.name + '…');
    // The console never holds a chat's secret: the server hands it a short-lived ticket for this one upload.
    request('agent:upload', { sessionId: chat.sessionId })
      .then(function (grant) {
        if (grant.error) throw new Error(grant.error);
        var form = new FormData();
        form.append('session', String(chat.sessionId));
        form.append('area', String(chat.areaId));
        form.append('agentTicket', grant.ticket);
        form.append('random', String(Math.random()));
        form.append('uploadfile', file, file.name);
        return fetch(state.config.baseURL + '/Cention/web/chat/client/uploadAttachment', { method: 'POST', body: form, credentials: 'include' });
      })
      .then(function (response) {
        return response.json().catch(function () { return { error: 'upload failed (' + response.status + ')' }; });
      })
      .then(function (result) {
        if (result.error) throw new Error(result.error);
        return request('agent:attach', { sessionId: chat.sessionId, fileId: result.id });
      })
      .then(function (reply) {
        if (reply.error) throw new Error(reply.error);
        note('Sent ' + file.name + '.');
      })
      .catch(function (error) { note('Could not attach ' + file.name + ': ' + error.message, true); })
      .then(function () { input.value = ''; });
  }

  function end() {
    var chat = state.chats.get(state.selected);
    if (!chat || chat.state === 'ended') return;
    request('agent:end', { sessionId: chat.sessionId }).then(function (reply) {
      if (reply.error) note(reply.error, true);
    });
  }

  // ---------------------------------------------------------------- the socket

  function connect(config) {
    state.config = config;
    var status = $('connection');
    var key = readKey();
    if (config.keyRequired && !key) {
      // Opened without its key (from the index page, a bookmark): say where the right address is.
      status.textContent = 'Key needed';
      status.className = 'connection offline';
      $('empty').replaceChildren(
        el('p', '', 'This console needs its key. Open it through the address the server printed when it started: it ends in /console/#key=…'),
      );
      return;
    }
    var socket = io(location.origin + config.namespace, { path: config.socketPath, auth: { key: key }, withCredentials: true });
    state.socket = socket;

    socket.on('connect', function () {
      status.textContent = 'Connected';
      status.className = 'connection online';
    });
    socket.on('disconnect', function () {
      status.textContent = 'Reconnecting…';
      status.className = 'connection offline';
    });
    socket.on('connect_error', function (error) {
      status.textContent = 'Not connected';
      status.className = 'connection offline';
      if (/key/.test(error.message)) {
        toast(error.message);
        socket.disconnect();
      }
    });

    socket.on('agent:hello', function (hello) {
      state.areas = new Map(hello.areas.map(function (area) { return [area.id, area]; }));
      state.chats = new Map(hello.chats.map(function (chat) { return [chat.sessionId, chat]; }));
      state.errands = new Map((hello.errands || []).map(function (errand) { return [errand.id, errand]; }));
      hello.chats.forEach(function (chat) { if (chat.state !== 'queued') state.seen.add(chat.sessionId); });
      render();
      if (state.selected !== null && state.chats.has(state.selected)) select(state.selected);
    });
    socket.on('agent:areas', function (areas) {
      state.areas = new Map(areas.map(function (area) { return [area.id, area]; }));
      render();
    });
    socket.on('agent:chat', function (chat) {
      var known = state.chats.has(chat.sessionId);
      state.chats.set(chat.sessionId, chat);
      if (!known && chat.state === 'queued') notifyNewChat(chat);
      if (chat.state === 'ended') state.previews.delete(chat.sessionId);
      render();
      if (chat.sessionId === state.selected) markDeliveredIfVisible();
    });
    socket.on('agent:message', function (event) {
      var lines = state.lines.get(event.sessionId);
      if (lines && !lines.some(function (line) { return line.id === event.line.id; })) lines.push(event.line);
      if (event.line.sender === 'CLIENT') state.previews.delete(event.sessionId);
      if (event.sessionId === state.selected) {
        $('transcript').append(lineItem(event.line));
        $('transcript').scrollTop = $('transcript').scrollHeight;
        renderPreview();
      } else if (event.line.sender === 'CLIENT') {
        state.unread.set(event.sessionId, (state.unread.get(event.sessionId) || 0) + 1);
        renderChats();
      }
    });
    socket.on('agent:forget', function (event) {
      // The server no longer keeps this ended chat.
      state.chats.delete(event.sessionId);
      state.lines.delete(event.sessionId);
      state.drafts.delete(event.sessionId);
      if (state.selected === event.sessionId) state.selected = null;
      render();
    });
    socket.on('agent:errand', function (errand) {
      state.errands.set(errand.id, errand);
      toast('New message from ' + errand.name + ' (' + errand.reference + ', ' + errand.areaName + ')', function () { selectErrand(errand.id); });
      renderChats();
    });
    socket.on('agent:preview', function (event) {
      state.previews.set(event.sessionId, event.preview);
      if (event.sessionId === state.selected) renderPreview();
    });
  }

  // ---------------------------------------------------------------- start

  $('agentName').value = localStorage.getItem('cention-console-name') || '';
  $('agentName').addEventListener('change', function () {
    localStorage.setItem('cention-console-name', agentName());
    // Which chats are this console's depends on the name.
    render();
  });
  $('toast').addEventListener('click', function () {
    $('toast').hidden = true;
    clearTimeout(toastTimer);
    if (toastAction) toastAction();
  });
  $('backButton').addEventListener('click', back);
  $('takeButton').addEventListener('click', take);
  $('takeOverButton').addEventListener('click', takeOver);
  $('transferButton').addEventListener('click', function () {
    $('transferForm').hidden = false;
    $('transferName').focus();
  });
  $('transferCancel').addEventListener('click', function () { $('transferForm').hidden = true; });
  $('transferForm').addEventListener('submit', transfer);
  $('leaveButton').addEventListener('click', leave);
  $('endButton').addEventListener('click', end);
  $('deliveredButton').addEventListener('click', function () {
    var chat = state.chats.get(state.selected);
    if (chat) request('agent:ack', { sessionId: chat.sessionId });
  });
  $('composer').addEventListener('submit', send);
  $('reply').addEventListener('input', onReplyInput);
  $('reply').addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) send(event);
  });
  $('attachInput').addEventListener('change', attach);
  document.addEventListener('visibilitychange', markDeliveredIfVisible);
  $('notifyButton').hidden = !window.Notification || Notification.permission !== 'default';
  $('notifyButton').addEventListener('click', function () {
    Notification.requestPermission().then(function () { $('notifyButton').hidden = Notification.permission !== 'default'; });
  });
  // Refresh "waited n min" now and then.
  (function tick() {
    renderChats();
    setTimeout(tick, 30000);
  })();

  fetch('config.json', { credentials: 'same-origin' })
    .then(function (response) { return response.json(); })
    .then(connect)
    .catch(function (error) {
      $('connection').textContent = 'Server not reachable';
      toast('Could not load the console configuration: ' + error.message);
    });
})();
