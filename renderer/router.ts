import { createRouter, createWebHashHistory } from 'vue-router';
import CertificatesView from './views/CertificatesView.vue';
import ExpiriesView from './views/ExpiriesView.vue';
import HistoryView from './views/HistoryView.vue';
import InspectorView from './views/InspectorView.vue';
import InvoicyView from './views/InvoicyView.vue';
import SettingsView from './views/SettingsView.vue';

/** Hash history: the packaged app is a file:// page, where path routes cannot reload. */
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/certificados' },
    { path: '/certificados', name: 'certificates', component: CertificatesView },
    { path: '/inspecionar', name: 'inspector', component: InspectorView },
    { path: '/vencimentos', name: 'expiries', component: ExpiriesView },
    { path: '/historico', name: 'history', component: HistoryView },
    { path: '/invoicy', name: 'invoicy', component: InvoicyView },
    { path: '/configuracoes', name: 'settings', component: SettingsView },
  ],
});
