import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { installErrorSink } from './error-sink';
import { i18n } from './i18n/index';
import { router } from './router';
import './styles.css';

const app = createApp(App).use(createPinia()).use(i18n).use(router);
installErrorSink(app);
app.mount('#app');
