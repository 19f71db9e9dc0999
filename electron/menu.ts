/** Turns the menu template into Electron's native menu; actions go to the handler main.ts gives. */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { Locale } from '@certdesk/shared/contract';
import { menuTemplate, type MenuAction, type MenuSpec } from './menu-template';

function toElectron(spec: MenuSpec, onAction: (action: MenuAction) => void): MenuItemConstructorOptions {
  if (spec.type === 'separator') return { type: 'separator' };
  return {
    label: spec.label,
    accelerator: spec.accelerator,
    role: spec.role,
    click: spec.action ? () => onAction(spec.action!) : undefined,
    submenu: spec.submenu?.map((item) => toElectron(item, onAction)),
  };
}

export function installMenu(locale: Locale, onAction: (action: MenuAction) => void): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(locale, process.platform).map((item) => toElectron(item, onAction))));
}
