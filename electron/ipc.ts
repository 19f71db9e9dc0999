/**
 * The only place that touches ipcMain: every channel of the contract is registered here, checks
 * the sender frame, then goes through the core's dispatch (schema validation + error envelope).
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CHANNELS, type HandlerTable } from '@certdesk/shared/contract';
import { dispatch } from '#desktop/dispatch';
import { isTrustedSender, type AppOrigin } from './security-policy';

export function registerIpc(handlers: HandlerTable, origin: AppOrigin): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, payload: unknown) => {
      const frame = event.senderFrame;
      // Why: a frame from elsewhere (an iframe, a navigated page) must not reach the core.
      if (!frame || !isTrustedSender(frame.url, frame === frame.top, origin)) {
        return { ok: false, error: { code: 'FORBIDDEN_SENDER', message: 'Origem da chamada não autorizada.' } };
      }
      return dispatch(handlers, channel, payload);
    });
  }
}
