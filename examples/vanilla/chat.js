/*
 * The chat of the vanilla example site: the seed's example rebuilt with plain JavaScript on the
 * Cention Chat API 5.1.0 and nothing else (`_CentionChat()` from `/dist/CentionChatAPI.js`, on
 * socket.io-client 2 loaded before it as the page's socket.js, as the seed's pages do), plus
 * the extensions this library adds (createErrand, rateChat, markRead and the `unread` event,
 * attachFile's cancel, downloadUrl through `CentionChat.client`).
 *
 * The page needs `<div id="CentionChat">`; this script builds the widget inside it (a launcher
 * with the unread count, opening a panel) with the element ids of docs/example-sites.md. Every
 * text from the chat is inserted as text nodes, never as HTML; links in it are built as
 * elements, http(s) only.
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
  /** What the customer's own file says: "You", not their name. */
  var OWN_FILE = 'You sent a file:';

  // ------------------------------------------------------------------ the widget

  /** Makes an element: `attributes` are set as attributes (`hidden: true` as a flag), `children` are elements or text. */
  function h(tag, attributes, children) {
    var element = tag === 'svg' || tag === 'path' ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
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

  /** An icon (a path on a 24 × 24 grid) that screen readers skip. */
  function icon(path) {
    return h('svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' }, [h('path', { d: path })]);
  }
  var CHAT_ICON = 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6v2h10V9H7zm0 4v2h7v-2H7z';
  var CLIP_ICON = 'M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10h-1.5z';

  /** The rating's scale: a number to pick, with the words a screen reader says with it. */
  var RATINGS = ['very poor', 'poor', 'all right', 'good', 'excellent'];

  var root = document.getElementById('CentionChat');
  root.replaceChildren(
    h('button', { id: 'ChatLauncher', class: 'launcher', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'ChatPanel' }, [
      icon(CHAT_ICON),
      h('span', {}, ['Chat with us']),
      h('span', { id: 'UnreadBadge', class: 'badge', hidden: true }),
    ]),
    h('aside', { id: 'ChatPanel', class: 'panel', 'aria-labelledby': 'CentionChatTitle', hidden: true }, [
      h('header', { class: 'panel-header' }, [
        h('h2', { id: 'CentionChatTitle' }, ['Chat with us']),
        h('button', { id: 'ChatPanelClose', class: 'close', type: 'button', 'aria-label': 'Close the chat window' }, [h('span', { 'aria-hidden': 'true' }, ['×'])]),
      ]),
      h('div', { id: 'PanelBody', class: 'panel-body' }, [
        h('div', { id: 'StartView' }, [
          h('p', { id: 'Checking', class: 'note' }, ['Checking whether the chat is open…']),
          h('p', { id: 'ClosedMessage', class: 'note', hidden: true }, ['The chat is closed right now. Leave us a message and we will answer by email.']),
          h('p', { id: 'BusyMessage', class: 'note', hidden: true }, ['Nobody is free to chat right now. Leave us a message and we will answer by email.']),
          h('p', { id: 'QueueFullMessage', class: 'note', hidden: true }, ['Our chat queue is full right now. Leave us a message, or try again in a few minutes.']),
          h('p', { id: 'TryAgain', hidden: true }, [h('button', { id: 'TryAgainButton', type: 'button', class: 'secondary' }, ['Try the chat again'])]),
          h('p', { id: 'StartError', class: 'note error', role: 'alert', hidden: true }),
          h('div', { id: 'ResumeOffer', class: 'resume', hidden: true }, [
            h('p', {}, ['You have a chat going.']),
            h('button', { id: 'ResumeButton', type: 'button', class: 'secondary' }, ['Resume the chat']),
          ]),
          h('form', { id: 'StartForm', hidden: true }, [
            h('p', { class: 'hint' }, ['Ask us anything: an agent answers in a minute or two.']),
            field('StartName', 'Name', h('input', { id: 'StartName', name: 'name', autocomplete: 'name', required: true, maxlength: 200 })),
            field('StartEmail', 'Email (optional)', h('input', { id: 'StartEmail', name: 'email', type: 'email', autocomplete: 'email', maxlength: 254 })),
            field('StartQuestion', 'Your question', h('textarea', { id: 'StartQuestion', name: 'question', rows: 3, required: true, maxlength: 10000 })),
            h('button', { id: 'StartButton', type: 'submit' }, ['Start chat']),
          ]),
          h('section', { id: 'LeaveMessage', class: 'leave', 'aria-labelledby': 'LeaveMessageTitle', hidden: true }, [
            h('h3', { id: 'LeaveMessageTitle' }, ['Leave us a message']),
            h('div', { id: 'LeaveMessageStatus', role: 'status' }),
            h('form', { id: 'LeaveMessageForm' }, [
              h('p', { class: 'intro' }, ['We answer by email, usually within a working day.']),
              field('LeaveName', 'Name', h('input', { id: 'LeaveName', name: 'name', autocomplete: 'name', required: true, maxlength: 200 })),
              field('LeaveEmail', 'Email', h('input', { id: 'LeaveEmail', name: 'email', type: 'email', autocomplete: 'email', required: true, maxlength: 254 })),
              field('LeaveSubject', 'Subject', h('input', { id: 'LeaveSubject', name: 'subject', required: true, maxlength: 200 })),
              field('LeaveText', 'Message', h('textarea', { id: 'LeaveText', name: 'message', rows: 4, required: true, maxlength: 10000 })),
              h('p', { id: 'LeaveMessageError', class: 'note error', role: 'alert', hidden: true }),
              h('button', { id: 'LeaveMessageButton', type: 'submit' }, ['Send message']),
            ]),
          ]),
        ]),
        h('div', { id: 'ChatView', class: 'chat', hidden: true }, [
          h('div', { class: 'chat-bar' }, [
            h('p', { id: 'ChatHeading', class: 'chat-heading' }, ['Connecting…']),
            h('div', { class: 'tools' }, [
              h('button', { id: 'CentionChatSaveButton', type: 'button', class: 'secondary' }, ['Save a copy']),
              h('button', { id: 'CentionChatPrintButton', type: 'button', class: 'secondary' }, ['Print']),
              h('button', { id: 'CentionChatFinishButton', type: 'button', class: 'danger' }, ['Finish chat']),
            ]),
          ]),
          h('p', { id: 'QueuePlace', class: 'note', role: 'status', hidden: true }),
          h('p', { id: 'LinkStatus', class: 'note warning', role: 'status', hidden: true }, ['Reconnecting… Messages you write now are sent when the connection is back.']),
          h('ol', { id: 'ChatMessages', class: 'messages', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Messages', tabindex: 0 }),
          h('p', { id: 'AgentTyping', class: 'typing', role: 'status', hidden: true }),
          h('div', { id: 'ChatEnded', class: 'ended', hidden: true }, [
            h('div', { class: 'ended-head' }, [h('p', {}, ['The chat has ended.']), h('button', { id: 'NewChatButton', type: 'button', class: 'secondary' }, ['Start a new chat'])]),
            h('div', { id: 'RatingStatus', role: 'status' }),
            h('form', { id: 'RatingForm', hidden: true }, [
              h('fieldset', { class: 'rating' }, [
                h('legend', {}, ['How was the chat?']),
                h(
                  'div',
                  { class: 'scores' },
                  RATINGS.map(function (words, i) {
                    return h('label', {}, [
                      h('input', { type: 'radio', name: 'rating', value: i + 1, 'aria-describedby': 'RatingScale' }),
                      h('span', {}, [String(i + 1), h('span', { class: 'visually-hidden' }, [', ' + words])]),
                    ]);
                  }),
                ),
                h('p', { id: 'RatingScale', class: 'hint' }, ['1 is very poor, 5 is excellent.']),
              ]),
              field('RatingComment', 'Anything to add? (optional)', h('textarea', { id: 'RatingComment', name: 'comment', rows: 2, maxlength: 1000 })),
              h('p', { id: 'RatingError', class: 'note error', role: 'alert', hidden: true }),
              h('button', { id: 'RatingSendButton', type: 'submit', disabled: true }, ['Send rating']),
            ]),
          ]),
          h('form', { id: 'ChatForm', class: 'compose' }, [
            h('label', { for: 'ChatInput', class: 'visually-hidden' }, ['Your message']),
            h('textarea', { id: 'ChatInput', name: 'message', rows: 2, maxlength: 10000, placeholder: 'Write a message…', 'aria-describedby': 'ChatInputHint' }),
            h('button', { id: 'ChatSendButton', type: 'submit' }, ['Send']),
            h('p', { id: 'ChatInputHint', class: 'hint' }, ['Enter sends, Shift+Enter makes a new line.']),
          ]),
          h('div', { id: 'Attach', class: 'attach', hidden: true }, [
            h('button', { id: 'AttachButton', type: 'button', class: 'secondary', 'aria-describedby': 'AttachLimit' }, [icon(CLIP_ICON), 'Attach a file']),
            h('input', { id: 'ChatViewSendFileButton', type: 'file', multiple: true, hidden: true }),
            h('p', { id: 'AttachLimit', class: 'hint' }),
          ]),
          h('div', { id: 'UploadStatus', class: 'note', role: 'status', hidden: true }),
        ]),
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
  /** Why the server refused the last start: `'queue full'`, `'agent unavailable'`, or `''`. */
  var refusedBy = '';
  /** The question of the last start, for the message to leave when the start was refused. */
  var asked = '';
  /** Message ids the agent has read, also those whose message is not shown yet. */
  var delivered = new Set();
  var agentName = '';
  /** Uploads under way, by the id attachFile gave them: their row, bar and file name. */
  var uploads = new Map();
  var linkFailed = false;
  var linkReconnecting = false;
  /** Agent and system messages the customer has not seen (the `unread` event). */
  var unread = 0;

  // This tab had a chat going: the next page resumes it at once (sessionStorage is per tab).
  var KEPT = 'cention-chat-example:' + CentionChat.baseURL + ':' + CentionAreaId;
  var PANEL = 'cention-chat-example:panel';
  function remember(key, value) {
    try {
      if (value) sessionStorage.setItem(key, value);
      else sessionStorage.removeItem(key);
    } catch {
      // Storage blocked: the chat works, the next page offers to resume instead.
    }
  }
  function remembered(key) {
    try {
      return sessionStorage.getItem(key);
    } catch {
      return null;
    }
  }
  function keepChat(on) {
    remember(KEPT, on ? '1' : '');
  }
  function chatKept() {
    return remembered(KEPT) === '1';
  }

  // ------------------------------------------------------------------ the launcher, the panel and what is unread

  var pageTitle = document.title;

  function panelOpen() {
    return !$('ChatPanel').hidden;
  }

  /** Where focus goes when the panel opens: the first of these that shows. */
  var FIRST_FOCUS = ['ChatInput', 'StartName', 'LeaveName', 'ResumeButton', 'RatingForm', 'NewChatButton'];
  function focusInPanel() {
    for (var i = 0; i < FIRST_FOCUS.length; i++) {
      var element = $(FIRST_FOCUS[i]);
      var target = element && element.tagName === 'FORM' ? element.querySelector('input, textarea, button') : element;
      if (target && target.getClientRects().length > 0) return target.focus();
    }
    $('ChatPanelClose').focus();
  }

  function setPanel(open) {
    show('ChatPanel', open);
    $('ChatLauncher').setAttribute('aria-expanded', String(open));
    remember(PANEL, open ? 'open' : 'closed');
    if (open) {
      focusInPanel();
      markReadIfSeen();
    } else $('ChatLauncher').focus();
  }

  /** The customer sees what arrives while the panel is open on a visible page. */
  function markReadIfSeen() {
    if (unread > 0 && panelOpen() && document.visibilityState === 'visible') CentionChat.markRead();
  }

  function renderUnread() {
    var badge = $('UnreadBadge');
    badge.replaceChildren(String(unread), h('span', { class: 'visually-hidden' }, [unread === 1 ? ' unread message' : ' unread messages']));
    show('UnreadBadge', unread > 0);
    document.title = unread > 0 ? '(' + unread + ') ' + pageTitle : pageTitle;
  }

  // An extension of 5.1.0: how many agent and system messages the customer has not seen.
  CentionChat.registerAction('unread', function (count) {
    unread = count;
    renderUnread();
    markReadIfSeen();
  });

  $('ChatLauncher').addEventListener('click', function () {
    setPanel(!panelOpen());
  });
  $('ChatPanelClose').addEventListener('click', function () {
    setPanel(false);
  });
  $('ChatPanel').addEventListener('keydown', function (event) {
    if (event.key === 'Escape') setPanel(false);
  });
  document.addEventListener('visibilitychange', markReadIfSeen);
  if (remembered(PANEL) === 'open') {
    show('ChatPanel', true);
    $('ChatLauncher').setAttribute('aria-expanded', 'true');
  }

  // ------------------------------------------------------------------ views

  function showStartView() {
    phase = 'start';
    show('ChatView', false);
    show('StartView', true);
    $('PanelBody').classList.remove('chatting');
    show('Checking', false);
    var open = availability.chatOpen && !availability.error;
    var noAgents = open && availability.agentsAvailable <= 0;
    var closed = !availability.error && !availability.chatOpen;
    show('ClosedMessage', closed);
    show('BusyMessage', (noAgents && refusedBy === '') || refusedBy === 'agent unavailable');
    show('QueueFullMessage', refusedBy === 'queue full');
    show('TryAgain', refusedBy !== '');
    show('StartForm', open && !noAgents && refusedBy === '');
    show('ResumeOffer', availability.resumable === true);
    $('StartButton').disabled = false;
    showLeaveMessage(closed || noAgents || refusedBy !== '');
  }

  function showChatView(newPhase) {
    phase = newPhase;
    show('StartView', false);
    show('ChatView', true);
    $('PanelBody').classList.add('chatting');
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
    var focusWasInChat = $('ChatView').contains(document.activeElement);
    var hadChat = CentionChat.sessionSecret !== '';
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
    show('RatingForm', hadChat);
    // Focus goes from the vanished form to the rating (or the new chat button).
    if (focusWasInChat) (hadChat ? $('RatingForm').querySelector('input') : $('NewChatButton')).focus();
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
    refusedBy = '';
    say('ChatHeading', 'Connecting…');
    show('QueuePlace', false);
    show('AgentTyping', false);
    uploads.clear();
    say('UploadStatus', '');
    $('RatingForm').reset();
    $('RatingSendButton').disabled = true;
    say('RatingError', '');
    $('RatingStatus').replaceChildren();
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

  /** The address as the browser reads it, if it is an http(s) one with a host. */
  function webLink(address) {
    try {
      var url = new URL(address);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? url.href : undefined;
    } catch {
      return undefined;
    }
  }

  function count(text, char) {
    return text.split(char).length - 1;
  }

  var CLOSING = { ')': '(', ']': '[', '}': '{' };

  /**
   * A message's text as nodes: text nodes, and a link for each http(s) address in it. The text
   * is never parsed as HTML; trailing punctuation (and a closing bracket the address did not
   * open) stays text.
   */
  function textNodes(text) {
    var nodes = [];
    var from = 0;
    var pattern = /\bhttps?:\/\/[^\s<>"]+/gi;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      var address = match[0];
      for (;;) {
        var last = address.charAt(address.length - 1);
        var opening = CLOSING[last];
        if (/[.,;:!?'"]$/.test(address) || (opening !== undefined && count(address, last) > count(address, opening))) address = address.slice(0, -1);
        else break;
      }
      var href = webLink(address);
      if (!href) continue;
      if (match.index > from) nodes.push(text.slice(from, match.index));
      nodes.push(h('a', { href: href, target: '_blank', rel: 'noopener noreferrer' }, [address]));
      from = match.index + address.length;
    }
    if (from < text.length || nodes.length === 0) nodes.push(text.slice(from));
    return nodes;
  }

  /** An entry of the transcript: who, when, the text (text nodes and links, never HTML), and for own messages their status. */
  function entry(sender, text, sentHuman) {
    var children = [];
    if (sender === 'CLIENT') children.push(h('span', { class: 'who' }, ['You']));
    if (sender === 'AGENT') children.push(h('span', { class: 'who' }, [agentName || 'Agent']));
    children.push(h('time', {}, [sentHuman || '']));
    children.push(h('p', { class: 'text' }, textNodes(text)));
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
   * The download link of a FILE_UPLOAD system event, only through the library's `downloadUrl()`
   * (it adds the session secret and refuses any address not on `baseURL`'s origin; the facade
   * already gives `fileDownload: ""` for such a link). Without it: the file's name only.
   */
  function fileHref(event) {
    if (!event.fileDownload || !CentionChat.client) return undefined;
    return CentionChat.client.downloadUrl(event.fileDownload);
  }

  /** Image files show as a thumbnail (the browser draws them; SVG is not among them). */
  function isImageFile(name) {
    return /\.(png|jpe?g|gif|webp|avif|bmp)$/i.test(name);
  }

  /** The file of a FILE_UPLOAD: its name and size as a download link, and an image as a thumbnail that opens it too. */
  function showFile(item, event) {
    var label = event.fileName + ' (' + event.sizeHuman + ')';
    var href = fileHref(event);
    if (!href) return item.querySelector('.text').append(' ', h('span', { class: 'file' }, [label]));
    item.querySelector('.text').append(' ', h('a', { class: 'file', href: href, download: event.fileName }, [label]));
    if (!isImageFile(event.fileName)) return;
    // The name's link says it all to a screen reader; the picture is the same link for the eye.
    var thumbnail = h('a', { class: 'thumbnail', href: href, download: event.fileName, tabindex: -1, 'aria-hidden': 'true' }, [h('img', { src: href, alt: '', loading: 'lazy' })]);
    item.querySelector('.text').after(thumbnail);
  }

  /** A message of the transcript, shown once however often the server sends it. */
  function showMessage(message) {
    if (findMessage('messageId', message.id)) return;
    if (message.sender === 'CLIENT' && message.umid) {
      var mine = findMessage('umid', message.umid);
      if (mine) return identify(mine, message.id, message.sentHuman);
    }
    // System events (an attached file, the end of the chat) come from any sender, in words.
    var file = message.event && message.event.event === 'FILE_UPLOAD' ? message.event : undefined;
    var item = entry(message.sender, file && message.sender === 'CLIENT' ? OWN_FILE : message.text, message.sentHuman);
    item.dataset.messageId = String(message.id);
    if (message.event) item.classList.add('event');
    if (file) showFile(item, file);
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

  /** The server refused the start: the start view says why and offers to leave a message. */
  function refused(why) {
    return function () {
      refusedBy = why;
      availability = { chatOpen: availability.chatOpen, agentsAvailable: availability.agentsAvailable, feature: availability.feature, resumable: false, error: '' };
      keepChat(false);
      showStartView();
    };
  }
  CentionChat.registerAction('queue full', refused('queue full'));
  CentionChat.registerAction('agent unavailable', refused('agent unavailable'));

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
    asked = question;
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

  $('TryAgainButton').addEventListener('click', function () {
    CentionChat.resetChat();
    clearChat();
    check();
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

  // ------------------------------------------------------------------ leave a message

  /** Where nobody can chat, the form to leave a message, with what the customer already typed. */
  function showLeaveMessage(visible) {
    var wasShown = !$('LeaveMessage').hidden;
    show('LeaveMessage', visible);
    if (!visible || wasShown) return;
    if (!$('LeaveName').value) $('LeaveName').value = $('StartName').value.trim();
    if (!$('LeaveEmail').value) $('LeaveEmail').value = $('StartEmail').value.trim();
    if (!$('LeaveText').value) $('LeaveText').value = asked;
  }

  $('LeaveMessageForm').addEventListener('submit', function (event) {
    event.preventDefault();
    say('LeaveMessageError', '');
    // Asked before the button is disabled, which takes the focus from it.
    var focusWasInForm = $('LeaveMessageForm').contains(document.activeElement);
    $('LeaveMessageButton').disabled = true;
    // An extension of 5.1.0: the message becomes an errand, and the callback gets its reference.
    CentionChat.createErrand(
      { area: CentionAreaId, name: $('LeaveName').value.trim(), email: $('LeaveEmail').value.trim(), subject: $('LeaveSubject').value.trim(), message: $('LeaveText').value.trim() },
      function (answer) {
        $('LeaveMessageButton').disabled = false;
        if (answer.error) return say('LeaveMessageError', 'Your message was not sent: ' + answer.error);
        show('LeaveMessageForm', false);
        var done = h('p', { id: 'LeaveMessageDone', class: 'note success', tabindex: -1 }, [
          'Thank you! We have your message and will answer by email. Your reference is ',
          h('span', { id: 'LeaveMessageReference', class: 'reference' }, [answer.reference]),
          '.',
        ]);
        $('LeaveMessageStatus').replaceChildren(done);
        // The form went: focus goes to the thanks, which says the reference.
        if (focusWasInForm) done.focus();
      },
    );
  });

  // ------------------------------------------------------------------ rating the chat

  function chosenRating() {
    var chosen = $('RatingForm').querySelector('input[name="rating"]:checked');
    return chosen ? Number(chosen.value) : 0;
  }

  $('RatingForm').addEventListener('change', function () {
    $('RatingSendButton').disabled = chosenRating() === 0;
  });

  $('RatingForm').addEventListener('submit', function (event) {
    event.preventDefault();
    var rating = chosenRating();
    if (!rating) return;
    say('RatingError', '');
    // Asked before the button is disabled, which takes the focus from it.
    var focusWasInForm = $('RatingForm').contains(document.activeElement);
    $('RatingSendButton').disabled = true;
    // An extension of 5.1.0: once per chat; the callback gets {rated: true} or {error, code}.
    CentionChat.rateChat({ rating: rating, comment: $('RatingComment').value.trim() }, function (answer) {
      $('RatingSendButton').disabled = false;
      if (answer.error && answer.code !== 'already-rated') return say('RatingError', 'Your rating was not sent: ' + answer.error);
      show('RatingForm', false);
      var thanks = h('p', { id: 'RatingDone', class: 'note success', tabindex: -1 }, [answer.error ? 'You have rated this chat already. Thank you!' : 'Thank you for rating the chat.']);
      $('RatingStatus').replaceChildren(thanks);
      if (focusWasInForm) thanks.focus();
    });
  });

  // ------------------------------------------------------------------ attachments

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

  /**
   * One row per file under way: its name, a bar (indeterminate until the first bytes go) and a
   * Cancel button; once none is left, `done` says how the last one went. Only the bars move: the
   * live region does not announce the rows again on every step.
   */
  function renderUploads(done) {
    var status = $('UploadStatus');
    status.classList.remove('error');
    if (uploads.size === 0) return say('UploadStatus', done || '');
    var rows = [];
    uploads.forEach(function (upload) {
      rows.push(upload.row);
    });
    if (rows.some(function (row) { return row.parentNode !== status; }) || status.children.length !== rows.length) status.replaceChildren.apply(status, rows);
    show('UploadStatus', true);
  }

  function uploadRow(id, name, cancel) {
    var bar = h('progress', { 'aria-label': 'Upload of ' + name });
    var children = ['Uploading “' + name + '”… ', bar];
    if (cancel) {
      var button = h('button', { type: 'button', class: 'secondary cancel-upload', 'aria-label': 'Cancel the upload of ' + name }, ['Cancel']);
      button.addEventListener('click', cancel);
      children.push(button);
    }
    return { name: name, bar: bar, row: h('span', { class: 'upload' }, children) };
  }

  // An extension of 5.1.0: how far attachFile's upload is. With an original CentionChatAPI.js it
  // never fires and the bar stays indeterminate.
  CentionChat.registerAction('upload progress', function (progress) {
    var upload = uploads.get(progress.id);
    if (!upload) return;
    upload.bar.max = progress.total || 1;
    upload.bar.value = progress.loaded;
    // Sent whole, it is being announced in the chat: nothing is left to cancel.
    if (progress.loaded >= progress.total) upload.row.querySelectorAll('button').forEach(function (button) {
      button.remove();
    });
  });

  function attach(file) {
    var limit = limitFor(file);
    if (file.size > limit) {
      say('UploadStatus', '“' + file.name + '” is too large (' + humanSize(file.size) + '). Files can be at most ' + humanSize(limit) + '.');
      $('UploadStatus').classList.add('error');
      return;
    }
    var id;
    var sent = false;
    // This library's attachFile returns the file's id and cancel() (an extension of 5.1.0); the
    // original returns nothing, and its files upload without a Cancel button.
    var handle = CentionChat.attachFile(
      file,
      function () {
        sent = true;
        uploads.delete(id);
        renderUploads('Sent “' + file.name + '”.');
      },
      function (error) {
        sent = true;
        uploads.delete(id);
        var cancelled = error && error.code === 'upload-aborted';
        renderUploads(cancelled ? 'The upload of “' + file.name + '” was cancelled.' : '“' + file.name + '” could not be sent. ' + error.message);
        if (!cancelled) $('UploadStatus').classList.add('error');
      },
    );
    id = handle && handle.id ? handle.id : 'file-' + Date.now() + '-' + uploads.size;
    if (sent) return;
    uploads.set(id, uploadRow(id, file.name, handle && handle.cancel));
    renderUploads();
  }

  $('AttachButton').addEventListener('click', function () {
    $('ChatViewSendFileButton').click();
  });

  $('ChatViewSendFileButton').addEventListener('change', function (event) {
    var input = event.target;
    Array.prototype.forEach.call(input.files, attach);
    input.value = '';
  });

  // ------------------------------------------------------------------ save, print, finish

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
