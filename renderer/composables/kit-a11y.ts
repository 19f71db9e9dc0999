/**
 * What the UI kit (Naive UI) renders that assistive technology cannot use, mended in place after each
 * render (called by use-kit-labels.ts's observer, at most once a frame):
 * - its icons are `role="img"` with no name: they are decoration beside a text or inside a named
 *   button, so they are hidden from the accessibility tree;
 * - a card's title is `role="heading"` twice over with no level: the inner one keeps the role with a
 *   level (3 inside a dialog or drawer, else 2: the page's h1 is the screen title), the outer loses it;
 * - drawers, dialogs and modal cards are `role="dialog"` with no name: named by their own title;
 * - behind an open dialog or drawer the page stayed reachable (Tab, a screen reader's browse mode:
 *   five "Excluir" buttons under the delete question): the app's shell is made `inert` while one
 *   is open. Dialogs are rendered outside the shell (teleported to <body>), so they stay usable.
 */
let ids = 0;

export function repairKitAccessibility(root: ParentNode = document): void {
  const shell = document.querySelector<HTMLElement>('[data-testid="app-shell"]');
  if (shell) {
    const open = [...document.querySelectorAll<HTMLElement>('[role="dialog"], [role="alertdialog"]')].some(
      (dialog) => !shell.contains(dialog) && dialog.getClientRects().length > 0,
    );
    if (shell.inert !== open) shell.inert = open;
  }
  for (const icon of root.querySelectorAll<HTMLElement>('.n-icon, [role="img"].n-base-icon, .n-base-icon')) {
    if (!icon.hasAttribute('aria-label') && icon.getAttribute('aria-hidden') !== 'true') icon.setAttribute('aria-hidden', 'true');
  }
  for (const header of root.querySelectorAll<HTMLElement>('.n-card-header[role="heading"]')) header.removeAttribute('role');
  for (const title of root.querySelectorAll<HTMLElement>('.n-card-header__main[role="heading"]:not([aria-level])')) {
    title.setAttribute('aria-level', title.closest('[role="dialog"], .n-drawer, .n-modal') ? '3' : '2');
  }
  for (const dialog of root.querySelectorAll<HTMLElement>('[role="dialog"]:not([aria-label]):not([aria-labelledby])')) {
    const title = dialog.querySelector<HTMLElement>('.n-drawer-header__main, .n-dialog__title, .n-card-header__main, h1, h2');
    if (!title?.textContent?.trim()) continue;
    title.id ||= `kit-dialog-title-${++ids}`;
    dialog.setAttribute('aria-labelledby', title.id);
  }
}
