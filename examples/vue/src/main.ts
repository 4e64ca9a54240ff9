import { createApp } from 'vue';
// One look for the three example sites: the vanilla site's stylesheet.
import '../../vanilla/chat.css';
import ChatWidget from './ChatWidget.vue';
import { chatOptions, keepQuery } from '../../shared/site';

keepQuery(document);
void chatOptions(location).then((options) => createApp(ChatWidget, { options }).mount('#CentionChat'));
