import { onMounted, watch } from 'vue';
import { useSettingsStore } from '../stores/settings';

/**
 * Run `load` when the screen opens, or as soon as the app's settings (and so the current
 * environment) are known if they were not yet: the first screen mounts before they arrive.
 */
export function useWhenReady(load: () => void): void {
  const settings = useSettingsStore();
  onMounted(() => settings.loaded && load());
  watch(
    () => settings.loaded,
    (ready) => ready && load(),
  );
}
