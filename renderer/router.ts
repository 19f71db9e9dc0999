import { createRouter, createWebHashHistory } from 'vue-router';
import CertificatesView from './views/CertificatesView.vue';
import CoverageView from './views/CoverageView.vue';
import ExpiriesView from './views/ExpiriesView.vue';
import HistoryView from './views/HistoryView.vue';
import InspectorView from './views/InspectorView.vue';
import InvoicyView from './views/InvoicyView.vue';
import SettingsView from './views/SettingsView.vue';

/** Hash history: one page (`app://certdesk/index.html` in the desktop app) serves every route, so reloads always find it. */
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/certificados' },
    { path: '/certificados', name: 'certificates', component: CertificatesView },
    { path: '/inspecionar', name: 'inspector', component: InspectorView },
    { path: '/vencimentos', name: 'expiries', component: ExpiriesView },
    { path: '/cobertura', name: 'coverage', component: CoverageView },
    { path: '/historico', name: 'history', component: HistoryView },
    { path: '/invoicy', name: 'invoicy', component: InvoicyView },
    { path: '/configuracoes', name: 'settings', component: SettingsView },
  ],
});
