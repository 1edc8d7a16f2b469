// The window's preload (sandboxed, so bundled to one CommonJS file by scripts/buildElectron.mjs):
// exposes the typed controller as `window.shardline` and nothing else (no ipcRenderer, no Node).
import './jitlessZod.js';
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './createBridge.js';

contextBridge.exposeInMainWorld('shardline', createBridge(ipcRenderer));
