/**
 * The main window's size, position and maximized state, remembered between launches in
 * `window-state.json`, and put back on a visible display if that display is gone.
 */
import { join } from 'node:path';
import { Low } from 'lowdb';
import { isRecord, openPreferences } from './preferences';

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW: WindowState = { width: 1280, height: 820, maximized: false };
const MIN = { width: 960, height: 640 };

/** A saved state that fits the current displays: sizes clamped, position dropped if off-screen. */
export function fitToDisplays(saved: Partial<WindowState> | null | undefined, displays: Area[]): WindowState {
  const width = Math.max(MIN.width, Number(saved?.width) || DEFAULT_WINDOW.width);
  const height = Math.max(MIN.height, Number(saved?.height) || DEFAULT_WINDOW.height);
  const state: WindowState = { width, height, maximized: saved?.maximized === true };
  const { x, y } = saved ?? {};
  if (typeof x !== 'number' || typeof y !== 'number') return state;
  // Visible enough: the title bar's first 100×40 pixels lie on some display.
  const visible = displays.some((d) => x + 100 > d.x && x < d.x + d.width - 40 && y >= d.y && y < d.y + d.height - 40);
  return visible ? { ...state, x, y } : state;
}

export class WindowStateStore {
  private constructor(private readonly db: Low<Partial<WindowState>>) {}

  static async open(dataDir: string): Promise<WindowStateStore> {
    // A damaged file only costs the default size.
    const db = await openPreferences<Partial<WindowState>>(join(dataDir, 'window-state.json'), { ...DEFAULT_WINDOW }, isRecord);
    return new WindowStateStore(db);
  }

  restore(displays: Area[]): WindowState {
    return fitToDisplays(this.db.data, displays);
  }

  async save(state: WindowState): Promise<void> {
    this.db.data = state;
    await this.db.write();
  }
}
