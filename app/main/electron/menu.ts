// The native menu as a template; main turns it into a Menu. Type-only electron import, so the
// template (and which items exist in a packaged build) can be checked in plain Node.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  addFolder(): void;
  reindex(): void;
  about(): void;
}

export interface MenuOptions {
  isMac: boolean;
  /** Unpackaged: reload and developer tools are offered. Never in a packaged build. */
  isDev: boolean;
  appName: string;
}

function viewMenu(isDev: boolean): MenuItemConstructorOptions {
  const dev: MenuItemConstructorOptions[] = isDev
    ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }]
    : [];
  return {
    label: 'View',
    submenu: [
      ...dev,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
}

export function menuTemplate(o: MenuOptions, actions: MenuActions): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Add Folder…', accelerator: 'CmdOrCtrl+O', click: () => actions.addFolder() },
      // No accelerator: Ctrl+R is reload while developing.
      { label: 'Reindex', click: () => actions.reindex() },
      // macOS keeps Quit in the app menu, as its users expect.
      ...(o.isMac ? [] : [{ type: 'separator' } as const, { role: 'quit' } as const]),
    ],
  };
  const about: MenuItemConstructorOptions = { label: `About ${o.appName}`, click: () => actions.about() };
  const appMenu: MenuItemConstructorOptions[] = o.isMac
    ? [
        {
          label: o.appName,
          submenu: [
            about,
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : [];
  return [
    ...appMenu,
    file,
    { role: 'editMenu' },
    viewMenu(o.isDev),
    { role: 'windowMenu' },
    { role: 'help', submenu: [about] },
  ];
}
