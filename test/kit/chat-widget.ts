import { describeMessage } from 'cention-chat';
import { bindChat } from 'cention-chat/vanilla';

/** A site's own chat widget: a status line, the transcript, and a box to write in. */
export function mountChatWidget(root: HTMLElement, baseURL: string) {
  root.innerHTML = '<p role="status"></p><ol role="log"></ol><form><input name="text"><button>Send</button></form>';
  const status = root.querySelector('p')!;
  const log = root.querySelector('ol')!;
  const form = root.querySelector('form')!;
  const chat = bindChat({ baseURL, area: 1, storage: null }, {
    view: (view) => (status.textContent = view.phase === 'connected' ? `Chatting with ${view.agent}` : view.phase),
    message: (message) => log.append(Object.assign(document.createElement('li'), { textContent: describeMessage(message).text })),
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    chat.send(form.elements.namedItem('text') instanceof HTMLInputElement ? (form.elements.namedItem('text') as HTMLInputElement).value : '');
    form.reset();
  });
  return { start: (name: string, message: string) => chat.start({ name, message }), dispose: chat.dispose };
}
