/*
 * The chat of the vanilla example site: the seed's example rebuilt with plain JavaScript on the
 * Cention Chat API 5.1.0 and nothing else (`_CentionChat()` from `/dist/CentionChatAPI.js`, on
 * socket.io-client 2 loaded before it as the page's socket.js, as the seed's pages do).
 *
 * The page needs `<aside id="CentionChat">`; this script builds the widget inside it with the
 * element ids of docs/example-sites.md. Every text from the chat is inserted with
 * `textContent`, never as HTML.
 *
 * Query parameters: `?area=N` (default 1), `?baseURL=…` on this page's origin (default this origin + `/s/demo`), and
 * `?inspect` to watch the chat's statechart in a panel (`/dist/devtools.js`, loaded only then).
 */
(function (start) {
  'use strict';
  // With `?inspect` the devtools panel comes first, so it sees the chat from its first state.
  if (!new URLSearchParams(location.search).has('inspect')) return start(undefined);
  import('/dist/devtools.js').then(
    function (devtools) {
      start(devtools.createInspectorPanel().inspect);
    },
    function () {
      start(undefined);
    },
  );
})(function (inspect) {
  'use strict';

  // ------------------------------------------------------------------ settings (the seed's)

  var params = new URLSearchParams(location.search);
  var CentionAreaId = Number(params.get('area') || 1);
  // The seed's `_CentionChat()`; the optional argument (an extension) only adds the inspector.
  var CentionChat = inspect ? _CentionChat({ inspect: inspect }) : _CentionChat();
  CentionChat.baseURL = ownBaseURL(params.get('baseURL'));

  /** A demo's `?baseURL=`, only on this page's own origin: a crafted link must not point the chat at another server. */
  function ownBaseURL(asked) {
    try {
      var url = new URL(asked || '', location.href);
      if (asked && url.origin === location.origin) return url.href;
    } catch {
      // Not an address: the default below.
    }
    return location.origin + '/s/demo';
  }

  // System messages come as the seed's English sentences; this table words them for our page.
  var translation = {
    'Agent(s) added: {AGENT_NAMES}': '{AGENT_NAMES} joined the chat.',
    'Agent(s) removed: {AGENT_NAMES}': '{AGENT_NAMES} left the chat.',
    '{AGENT_NAME} has left the chat.': '{AGENT_NAME} has left the chat.',
    'Client ended the chat.': 'You ended the chat.',
    '{NAME} ended the chat.': '{NAME} ended the chat.',
    '{NAME} attached a file.': '{NAME} sent a file:',
  };
  CentionChat.I = function (text) {
    return translation[text];
  };

  // ------------------------------------------------------------------ the widget

  /** Makes an element: `attributes` are set as attributes (`hidden: true` as a flag), `children` are elements or text. */
  function h(tag, attributes, children) {
    var element = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === true) element.setAttribute(name, '');
      else if (value !== false && value !== undefined) element.setAttribute(name, String(value));
    });
    (children || []).forEach(function (child) {
      element.append(child);
    });
    return element;
  }

  function field(id, label, control) {
    return h('div', { class: 'field' }, [h('label', { for: id }, [label]), control]);
  }

  var root = document.getElementById('CentionChat');
  root.replaceChildren(
    h('h2', { id: 'CentionChatTitle' }, ['Chat with us']),
    h('div', { id: 'StartView' }, [
      h('p', { id: 'Checking', class: 'note' }, ['Checking whether the chat is open…']),
      h('p', { id: 'ClosedMessage', class: 'note', hidden: true }, ['The chat is closed right now. Please come back during our opening hours.']),
      h('p', { id: 'BusyMessage', class: 'note', hidden: true }, ['All our agents are busy at the moment. Please try again in a little while.']),
      h('p', { id: 'StartError', class: 'note error', role: 'alert', hidden: true }),
      h('div', { id: 'ResumeOffer', class: 'resume', hidden: true }, [
        h('p', {}, ['You have a chat going.']),
        h('button', { id: 'ResumeButton', type: 'button' }, ['Resume the chat']),
      ]),
      h('form', { id: 'StartForm', hidden: true }, [
        field('StartName', 'Name', h('input', { id: 'StartName', name: 'name', autocomplete: 'name', required: true, maxlength: 200 })),
        field('StartEmail', 'Email (optional)', h('input', { id: 'StartEmail', name: 'email', type: 'email', autocomplete: 'email', maxlength: 254 })),
        field('StartQuestion', 'Your question', h('textarea', { id: 'StartQuestion', name: 'question', rows: 3, required: true, maxlength: 10000 })),
        h('button', { id: 'StartButton', type: 'submit' }, ['Start chat']),
      ]),
    ]),
    h('div', { id: 'ChatView', hidden: true }, [
      h('p', { id: 'ChatHeading', class: 'chat-heading' }, ['Connecting…']),
      h('p', { id: 'QueuePlace', class: 'note', role: 'status', hidden: true }),
      h('p', { id: 'LinkStatus', class: 'note warning', role: 'status', hidden: true }, ['Reconnecting… Messages you write now are sent when the connection is back.']),
      h('ol', { id: 'ChatMessages', class: 'messages', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Messages', tabindex: 0 }),
      h('p', { id: 'AgentTyping', class: 'typing', role: 'status', hidden: true }),
      h('div', { id: 'ChatEnded', class: 'ended', hidden: true }, [
        h('p', {}, ['The chat has ended. You can still save or print it.']),
        h('button', { id: 'NewChatButton', type: 'button' }, ['Start a new chat']),
      ]),
      h('form', { id: 'ChatForm', class: 'compose' }, [
        h('label', { for: 'ChatInput', class: 'visually-hidden' }, ['Your message']),
        h('textarea', { id: 'ChatInput', name: 'message', rows: 2, maxlength: 10000, placeholder: 'Write a message…', 'aria-describedby': 'ChatInputHint' }),
        h('button', { id: 'ChatSendButton', type: 'submit' }, ['Send']),
        h('p', { id: 'ChatInputHint', class: 'hint' }, ['Enter sends, Shift+Enter makes a new line.']),
      ]),
      h('div', { id: 'Attach', class: 'attach', hidden: true }, [
        h('label', { for: 'ChatViewSendFileButton' }, ['Send a file']),
        h('input', { id: 'ChatViewSendFileButton', type: 'file', multiple: true, 'aria-describedby': 'AttachLimit' }),
        h('p', { id: 'AttachLimit', class: 'hint' }),
      ]),
      h('p', { id: 'UploadStatus', class: 'note', role: 'status', hidden: true }),
      h('div', { class: 'actions' }, [
        h('button', { id: 'CentionChatSaveButton', type: 'button' }, ['Save a copy']),
        h('button', { id: 'CentionChatPrintButton', type: 'button' }, ['Print']),
        h('button', { id: 'CentionChatFinishButton', type: 'button', class: 'danger' }, ['Finish chat']),
      ]),
    ]),
  );

  function $(id) {
    return document.getElementById(id);
  }

  function show(id, visible) {
    $(id).hidden = !visible;
  }

  function say(id, text) {
    $(id).textContent = text;
    show(id, text !== '');
  }

  // Links between the pages keep `?area` and `?baseURL`.
  document.querySelectorAll('#SecondPageLink, #FirstPageLink, a[data-keep-query]').forEach(function (link) {
    link.search = location.search;
  });

  // ------------------------------------------------------------------ what the page remembers

  /**
   * Where the page is: `checking` (asking canChat), `start` (the start view), `starting`,
   * `resuming`, `chat` or `ended`.
   */
  var phase = 'checking';
  /** The answer of the last canChat. */
  var availability = { chatOpen: false, agentsAvailable: 0, feature: {}, resumable: false, error: '' };
  /** Message ids the agent has read, also those whose message is not shown yet. */
  var delivered = new Set();
  var agentName = '';
  /** Uploads under way, from attachFile() until its cbOnDone or cbOnFail. */
  var uploadsInFlight = 0;
  /** How far each upload is (`upload progress`), by the id attachFile gave it. */
  var uploadProgress = new Map();
  var linkFailed = false;
  var linkReconnecting = false;

  // This tab had a chat going: the next page resumes it at once (sessionStorage is per tab).
  var KEPT = 'cention-chat-example:' + CentionChat.baseURL + ':' + CentionAreaId;
  function keepChat(on) {
    try {
      if (on) sessionStorage.setItem(KEPT, '1');
      else sessionStorage.removeItem(KEPT);
    } catch {
      // Storage blocked: the chat works, the next page offers to resume instead.
    }
  }
  function chatKept() {
    try {
      return sessionStorage.getItem(KEPT) === '1';
    } catch {
      return false;
    }
  }

  // ------------------------------------------------------------------ views

  function showStartView() {
    phase = 'start';
    show('ChatView', false);
    show('StartView', true);
    show('Checking', false);
    var open = availability.chatOpen && !availability.error;
    show('ClosedMessage', !availability.error && !availability.chatOpen);
    show('BusyMessage', open && availability.agentsAvailable <= 0);
    show('StartForm', open && availability.agentsAvailable > 0);
    show('ResumeOffer', availability.resumable === true);
    $('StartButton').disabled = false;
  }

  function showChatView(newPhase) {
    phase = newPhase;
    show('StartView', false);
    show('ChatView', true);
    show('ChatEnded', false);
    show('ChatForm', true);
    show('CentionChatFinishButton', true);
    show('Attach', availability.feature['chat.attachment'] === true);
    say('AttachLimit', attachLimitText());
    renderLink();
    renderHistoryButtons();
  }

  function showEnded() {
    if (phase === 'ended') return;
    var focusWasInForm = $('ChatView').contains(document.activeElement);
    phase = 'ended';
    keepChat(false);
    show('ChatEnded', true);
    show('ChatForm', false);
    show('Attach', false);
    show('CentionChatFinishButton', false);
    show('QueuePlace', false);
    show('AgentTyping', false);
    // An ended chat takes no messages: what was not sent stays "Not sent".
    $('ChatMessages').querySelectorAll('button.retry').forEach(function (button) {
      button.remove();
    });
    renderLink();
    say('ChatHeading', agentName ? 'Your chat with ' + agentName : 'Your chat');
    if (focusWasInForm) $('NewChatButton').focus();
  }

  function renderLink() {
    var live = phase === 'starting' || phase === 'resuming' || phase === 'chat';
    show('LinkStatus', live && (linkFailed || linkReconnecting));
  }

  function renderHistoryButtons() {
    var none = CentionChat.sessionSecret === '';
    $('CentionChatSaveButton').disabled = none;
    $('CentionChatPrintButton').disabled = none;
  }

  function clearChat() {
    $('ChatMessages').replaceChildren();
    delivered = new Set();
    agentName = '';
    linkFailed = false;
    say('ChatHeading', 'Connecting…');
    show('QueuePlace', false);
    show('AgentTyping', false);
    uploadsInFlight = 0;
    uploadProgress.clear();
    say('UploadStatus', '');
  }

  // ------------------------------------------------------------------ the transcript

  var STATUS_TEXT = { sending: 'Sending…', sent: 'Sent', delivered: 'Delivered', failed: 'Not sent' };

  function setStatus(item, status) {
    item.dataset.status = status;
    item.querySelector('.status').textContent = STATUS_TEXT[status];
  }

  function findMessage(attribute, value) {
    return Array.prototype.find.call($('ChatMessages').children, function (item) {
      return item.dataset[attribute] === String(value);
    });
  }

  function append(item) {
    var list = $('ChatMessages');
    list.append(item);
    list.scrollTop = list.scrollHeight;
  }

  /** An entry of the transcript: who, when, the text (plain text, always), and for own messages their status. */
  function entry(sender, text, sentHuman) {
    var children = [];
    if (sender === 'CLIENT') children.push(h('span', { class: 'who' }, ['You']));
    if (sender === 'AGENT') children.push(h('span', { class: 'who' }, [agentName || 'Agent']));
    children.push(h('time', {}, [sentHuman || '']));
    children.push(h('p', { class: 'text' }, [text]));
    if (sender === 'CLIENT') children.push(h('span', { class: 'status' }));
    return h('li', { class: 'message ' + sender.toLowerCase(), 'data-sender': sender }, children);
  }

  /** An own message, shown as `sending` the moment it is written. */
  function ownMessage(text, umid) {
    var item = entry('CLIENT', text);
    item.dataset.umid = umid;
    setStatus(item, 'sending');
    append(item);
    return item;
  }

  function identify(item, id, sentHuman) {
    if (/^\d+$/.test(String(id))) item.dataset.messageId = String(id);
    if (sentHuman) item.querySelector('time').textContent = sentHuman;
    if (item.dataset.status === 'sending') setStatus(item, 'sent');
    if (delivered.has(Number(item.dataset.messageId))) setStatus(item, 'delivered');
  }

  /**
   * A download link for a FILE_UPLOAD system event: the file's address with the session secret.
   * The facade gives `fileDownload: ""` for a link that is not a download of `baseURL`'s origin:
   * then the file's name only.
   */
  function fileLink(event) {
    if (!event.fileDownload) return h('span', { class: 'file' }, [event.fileName + ' (' + event.sizeHuman + ')']);
    var href = new URL(event.fileDownload, CentionChat.baseURL);
    href.searchParams.set('t', CentionChat.sessionSecret);
    return h('a', { class: 'file', href: href.href, download: event.fileName }, [event.fileName + ' (' + event.sizeHuman + ')']);
  }

  /** A message of the transcript, shown once however often the server sends it. */
  function showMessage(message) {
    if (findMessage('messageId', message.id)) return;
    if (message.sender === 'CLIENT' && message.umid) {
      var mine = findMessage('umid', message.umid);
      if (mine) return identify(mine, message.id, message.sentHuman);
    }
    // System events (an attached file, the end of the chat) come from any sender, in words.
    var item = entry(message.sender, message.text, message.sentHuman);
    item.dataset.messageId = String(message.id);
    if (message.event) item.classList.add('event');
    if (message.event && message.event.event === 'FILE_UPLOAD') item.querySelector('.text').append(' ', fileLink(message.event));
    if (message.sender === 'CLIENT') {
      // From an earlier page, the question of the start form, or a file: the server has it.
      if (message.umid) item.dataset.umid = message.umid;
      setStatus(item, delivered.has(message.id) ? 'delivered' : 'sent');
    }
    append(item);
  }

  // ------------------------------------------------------------------ the chat's events

  CentionChat.registerAction('chat message', function (data) {
    if (phase === 'starting' || phase === 'resuming') {
      keepChat(true);
      showChatView('chat');
    }
    if (data.agent && data.agent !== agentName) {
      agentName = data.agent;
      show('QueuePlace', false);
      say('ChatHeading', 'You are chatting with ' + agentName);
    }
    data.chat.forEach(showMessage);
    renderHistoryButtons();
  });

  CentionChat.registerAction('message sent', function (sent) {
    var item = findMessage('umid', sent.umid);
    if (item) identify(item, sent.id, sent.sentHuman);
  });

  CentionChat.registerAction('message acked', function (acked) {
    acked.ids.forEach(function (id) {
      delivered.add(id);
      var item = findMessage('messageId', id);
      if (item && item.dataset.sender === 'CLIENT') setStatus(item, 'delivered');
    });
  });

  CentionChat.registerAction('agent preview', function (preview) {
    say('AgentTyping', preview.messageLen > 0 && phase === 'chat' ? (agentName || 'The agent') + ' is typing…' : '');
  });

  CentionChat.registerAction('queue', function (place) {
    // A place in the queue means nobody has the chat (again, when the agent left).
    agentName = '';
    say('ChatHeading', 'Waiting for an agent…');
    say('QueuePlace', place === 1 ? 'You are next in the queue (place 1).' : 'You are number ' + place + ' in the queue.');
  });

  function refused() {
    availability = { chatOpen: availability.chatOpen, agentsAvailable: 0, feature: availability.feature, resumable: false, error: '' };
    keepChat(false);
    showStartView();
  }
  CentionChat.registerAction('queue full', refused);
  CentionChat.registerAction('agent unavailable', refused);

  CentionChat.registerAction('chat closed', function () {
    if (phase === 'chat') showEnded();
  });

  CentionChat.registerAction('finish chat session', showEnded);

  CentionChat.registerAction('connect', function () {
    linkFailed = false;
    linkReconnecting = false;
    renderLink();
  });

  CentionChat.registerAction('connect_error', function (error) {
    if (phase === 'starting' && error && error.code) {
      // The server refused the start (e.g. the area closed meanwhile): back to the start view.
      say('StartError', 'The chat could not start: ' + error.message);
      return check();
    }
    linkFailed = true;
    renderLink();
  });

  // Two extensions of 5.1.0 that this library adds: 'disconnect' (the link dropped: 'connect_error'
  // comes only once a reconnect fails) and 'message failed'. With an original CentionChatAPI.js
  // they never fire, and the page still works with the 5.1.0 events alone.
  CentionChat.registerAction('disconnect', function () {
    linkReconnecting = true;
    renderLink();
  });

  CentionChat.registerAction('message failed', function (failed) {
    var item = findMessage('umid', failed.id);
    if (!item || item.dataset.status === 'failed') return;
    setStatus(item, 'failed');
    if (phase === 'chat') item.querySelector('.status').append(' ', retryButton(item));
  });

  // ------------------------------------------------------------------ the customer's actions

  $('StartForm').addEventListener('submit', function (event) {
    event.preventDefault();
    var name = $('StartName').value.trim();
    var question = $('StartQuestion').value.trim();
    if (!name || !question) return;
    say('StartError', '');
    clearChat();
    $('StartButton').disabled = true;
    showChatView('starting');
    try {
      CentionChat.connect({ area: CentionAreaId, name: name, email: $('StartEmail').value.trim(), message: question });
    } catch (error) {
      say('StartError', error.message);
      showStartView();
      return;
    }
    $('StartQuestion').value = '';
    $('ChatInput').focus();
  });

  $('ResumeButton').addEventListener('click', function () {
    resume();
  });

  function sendMessage() {
    var text = $('ChatInput').value.trim();
    if (!text) return;
    var unsent = CentionChat.message(text);
    ownMessage(unsent.message, unsent.id);
    $('ChatInput').value = '';
    CentionChat.preview('');
  }

  /**
   * "Try again" for a message that was not sent: 5.1.0 has no retry, so the text goes again as a
   * new message, at the end of the transcript where the server will put it.
   */
  function retryButton(failedItem) {
    var button = h('button', { type: 'button', class: 'retry' }, ['Try again']);
    button.addEventListener('click', function () {
      var unsent = CentionChat.message(failedItem.querySelector('.text').textContent);
      failedItem.remove();
      ownMessage(unsent.message, unsent.id);
    });
    return button;
  }

  $('ChatForm').addEventListener('submit', function (event) {
    event.preventDefault();
    sendMessage();
  });

  $('ChatInput').addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      sendMessage();
    }
  });

  // The agent sees what the customer types: every change goes to preview(), which the library
  // paces (one preview per 300 ms, ending with the latest text).
  $('ChatInput').addEventListener('input', function () {
    CentionChat.preview($('ChatInput').value);
  });

  function humanSize(bytes) {
    if (bytes < 1024) return bytes + ' B';
    if (bytes < 1024 * 1024) return Math.round((bytes / 1024) * 10) / 10 + ' KB';
    return Math.round((bytes / (1024 * 1024)) * 10) / 10 + ' MB';
  }

  /** The size limit for a file, from canChat's features (images have their own). */
  function limitFor(file) {
    var feature = availability.feature;
    var image = file.type.indexOf('image/') === 0 ? feature['chat.max-image-size'] : undefined;
    var limit = typeof image === 'number' ? image : feature['chat.max-attachment-size'];
    return typeof limit === 'number' && limit > 0 ? limit : Infinity;
  }

  function attachLimitText() {
    var files = limitFor({ type: '' });
    var images = limitFor({ type: 'image/' });
    if (files === Infinity) return '';
    return images === files ? 'Files up to ' + humanSize(files) + '.' : 'Files up to ' + humanSize(files) + ', images up to ' + humanSize(images) + '.';
  }

  var uploadBar = h('progress', { 'aria-label': 'Upload progress' });

  /** While files upload, one bar for all of them (indeterminate until the first bytes go); then `done`. */
  function renderUploads(done) {
    // `<= 0`: an upload of a chat that was cleared can still end.
    if (uploadsInFlight <= 0) {
      uploadProgress.clear();
      say('UploadStatus', done || '');
      return;
    }
    var loaded = 0;
    var total = 0;
    uploadProgress.forEach(function (progress) {
      loaded += progress.loaded;
      total += progress.total;
    });
    if (total > 0) {
      uploadBar.max = total;
      uploadBar.value = loaded;
    } else uploadBar.removeAttribute('value');
    var text = 'Uploading ' + (uploadsInFlight === 1 ? 'a file' : uploadsInFlight + ' files') + '… ';
    var status = $('UploadStatus');
    // Only the bar moves: the live region does not announce the sentence again on every step.
    if (!status.contains(uploadBar) || status.firstChild.textContent !== text) status.replaceChildren(text, uploadBar);
    show('UploadStatus', true);
  }

  // An extension of 5.1.0: how far attachFile's upload is. With an original CentionChatAPI.js it
  // never fires and the bar stays indeterminate.
  CentionChat.registerAction('upload progress', function (progress) {
    uploadProgress.set(progress.id, progress);
    renderUploads();
  });

  $('ChatViewSendFileButton').addEventListener('change', function (event) {
    var input = event.target;
    Array.prototype.forEach.call(input.files, function (file) {
      var limit = limitFor(file);
      if (file.size > limit) {
        say('UploadStatus', '“' + file.name + '” is too large (' + humanSize(file.size) + '). Files can be at most ' + humanSize(limit) + '.');
        return;
      }
      uploadsInFlight += 1;
      renderUploads();
      CentionChat.attachFile(
        file,
        function (um) {
          uploadsInFlight -= 1;
          uploadProgress.delete(um.id);
          renderUploads('Sent “' + file.name + '”.');
        },
        function (error, failed) {
          uploadsInFlight -= 1;
          uploadProgress.delete(failed.id);
          renderUploads('“' + file.name + '” could not be sent. ' + error.message);
        },
      );
    });
    input.value = '';
  });

  $('CentionChatSaveButton').addEventListener('click', function () {
    var url = CentionChat.baseURL + '/socket/external.api/savehistory?area=' + CentionAreaId + '&secret=' + encodeURIComponent(CentionChat.sessionSecret);
    window.open(url, '_self');
  });

  $('CentionChatPrintButton').addEventListener('click', function () {
    var url = CentionChat.baseURL + '/socket/external.api/printhistory?area=' + CentionAreaId + '&secret=' + encodeURIComponent(CentionChat.sessionSecret);
    var popup = window.open(url, 'window', 'width=640,height=480,scrollbars=yes,status=no');
    if (popup && window.focus) popup.focus();
  });

  $('CentionChatFinishButton').addEventListener('click', function () {
    // CentionChat.close() ends the chat; 'finish chat session' then shows the end.
    CentionChat.close();
  });

  $('NewChatButton').addEventListener('click', function () {
    CentionChat.resetChat();
    clearChat();
    check();
  });

  // ------------------------------------------------------------------ on load

  function resume() {
    clearChat();
    showChatView('resuming');
    CentionChat.tryResume(function (msg) {
      if (msg.error) {
        keepChat(false);
        availability = { chatOpen: availability.chatOpen, agentsAvailable: availability.agentsAvailable, feature: availability.feature, resumable: false, error: availability.error };
        if (msg.error !== 'no session' && msg.error !== 'chat closed') say('StartError', 'The chat could not be resumed: ' + msg.error);
        showStartView();
        return;
      }
      keepChat(true);
      if (phase === 'resuming') showChatView('chat');
    });
  }

  /** canChat first: it tells whether the area is open, has agents, and has a chat of ours going. */
  function check() {
    phase = 'checking';
    show('ChatView', false);
    show('StartView', true);
    show('Checking', true);
    CentionChat.canChat(function (o) {
      availability = o;
      if (o.error) say('StartError', 'The chat is not available: ' + o.error);
      if (chatKept()) resume();
      else showStartView();
    }, CentionAreaId);
  }

  check();
});
