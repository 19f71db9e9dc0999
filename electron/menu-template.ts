/**
 * The native menu as data, in Portuguese or English, with its shortcuts: menu.ts turns it into an
 * Electron Menu. Kept free of Electron so the labels and accelerators are unit-tested.
 */
import type { Locale } from '@certdesk/shared/contract';

export type MenuAction =
  'openFile' | 'newCertificate' | 'certificates' | 'inspector' | 'expiries' | 'history' | 'settings' | 'reload' | 'about';

export interface MenuSpec {
  label?: string;
  accelerator?: string;
  action?: MenuAction;
  role?:
    | 'quit'
    | 'undo'
    | 'redo'
    | 'cut'
    | 'copy'
    | 'paste'
    | 'selectAll'
    | 'togglefullscreen'
    | 'minimize'
    | 'close'
    | 'hide'
    | 'hideOthers'
    | 'unhide'
    | 'toggleDevTools';
  type?: 'separator';
  submenu?: MenuSpec[];
}

const TEXT = {
  'pt-BR': {
    file: 'Arquivo',
    open: 'Abrir PFX…',
    newCertificate: 'Novo certificado',
    quit: 'Sair',
    edit: 'Editar',
    undo: 'Desfazer',
    redo: 'Refazer',
    cut: 'Recortar',
    copy: 'Copiar',
    paste: 'Colar',
    selectAll: 'Selecionar tudo',
    view: 'Exibir',
    certificates: 'Certificados',
    inspector: 'Inspecionar PFX',
    expiries: 'Vencimentos',
    history: 'Histórico',
    settings: 'Configurações',
    reload: 'Recarregar dados',
    fullscreen: 'Tela cheia',
    window: 'Janela',
    minimize: 'Minimizar',
    close: 'Fechar',
    help: 'Ajuda',
    about: 'Sobre o CertDesk',
    hide: 'Ocultar o CertDesk',
    hideOthers: 'Ocultar outros',
    unhide: 'Mostrar tudo',
  },
  en: {
    file: 'File',
    open: 'Open PFX…',
    newCertificate: 'New certificate',
    quit: 'Quit',
    edit: 'Edit',
    undo: 'Undo',
    redo: 'Redo',
    cut: 'Cut',
    copy: 'Copy',
    paste: 'Paste',
    selectAll: 'Select all',
    view: 'View',
    certificates: 'Certificates',
    inspector: 'Inspect PFX',
    expiries: 'Expiries',
    history: 'History',
    settings: 'Settings',
    reload: 'Reload data',
    fullscreen: 'Full screen',
    window: 'Window',
    minimize: 'Minimize',
    close: 'Close',
    help: 'Help',
    about: 'About CertDesk',
    hide: 'Hide CertDesk',
    hideOthers: 'Hide others',
    unhide: 'Show all',
  },
} as const;

export function menuTemplate(locale: Locale, platform: NodeJS.Platform): MenuSpec[] {
  const t = TEXT[locale];
  const mac = platform === 'darwin';
  const appMenu: MenuSpec[] = mac
    ? [
        {
          label: 'CertDesk',
          submenu: [
            { label: t.about, action: 'about' },
            { type: 'separator' },
            { label: t.settings, accelerator: 'CmdOrCtrl+,', action: 'settings' },
            { type: 'separator' },
            { label: t.hide, role: 'hide' },
            { label: t.hideOthers, role: 'hideOthers' },
            { label: t.unhide, role: 'unhide' },
            { type: 'separator' },
            { label: t.quit, role: 'quit' },
          ],
        },
      ]
    : [];
  return [
    ...appMenu,
    {
      label: t.file,
      submenu: [
        { label: t.open, accelerator: 'CmdOrCtrl+O', action: 'openFile' },
        { label: t.newCertificate, accelerator: 'CmdOrCtrl+N', action: 'newCertificate' },
        ...(mac ? [] : [{ type: 'separator' } as MenuSpec, { label: t.quit, role: 'quit' } as MenuSpec]),
      ],
    },
    {
      label: t.edit,
      submenu: [
        { label: t.undo, role: 'undo' },
        { label: t.redo, role: 'redo' },
        { type: 'separator' },
        { label: t.cut, role: 'cut' },
        { label: t.copy, role: 'copy' },
        { label: t.paste, role: 'paste' },
        { label: t.selectAll, role: 'selectAll' },
      ],
    },
    {
      label: t.view,
      submenu: [
        { label: t.certificates, accelerator: 'CmdOrCtrl+1', action: 'certificates' },
        { label: t.inspector, accelerator: 'CmdOrCtrl+2', action: 'inspector' },
        { label: t.expiries, accelerator: 'CmdOrCtrl+3', action: 'expiries' },
        { label: t.history, accelerator: 'CmdOrCtrl+4', action: 'history' },
        ...(mac ? [] : [{ label: t.settings, accelerator: 'CmdOrCtrl+,', action: 'settings' } as MenuSpec]),
        { type: 'separator' },
        { label: t.reload, accelerator: 'CmdOrCtrl+R', action: 'reload' },
        { label: t.fullscreen, role: 'togglefullscreen' },
      ],
    },
    {
      label: t.window,
      submenu: [
        { label: t.minimize, role: 'minimize' },
        { label: t.close, role: 'close' },
      ],
    },
    ...(mac ? [] : [{ label: t.help, submenu: [{ label: t.about, action: 'about' } as MenuSpec] }]),
  ];
}
