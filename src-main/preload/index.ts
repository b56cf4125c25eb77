// Exposes exactly one object, window.api. (The typed contract arrives with the desktop-app issue.)
import { contextBridge, ipcRenderer } from 'electron';

contextBridge.exposeInMainWorld('api', {
  engineInfo: (): Promise<{ version: string; options: number; interfaces: string[] }> => ipcRenderer.invoke('engine:info'),
});
