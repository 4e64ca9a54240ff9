import { mount } from 'svelte';
// One look for the three example sites: the vanilla site's stylesheet.
import '../../vanilla/chat.css';
import ChatWidget from './ChatWidget.svelte';
import { chatOptions, keepQuery } from '../../shared/site';

keepQuery(document);
void chatOptions(location).then((options) => mount(ChatWidget, { target: document.getElementById('CentionChat')!, props: { options } }));
