import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { MissingBridge } from './features/shell/MissingBridge';
import { getClient } from './lib/api';
import './index.css';

const root = createRoot(document.getElementById('root')!);
root.render(<StrictMode>{getClient() ? <App /> : <MissingBridge />}</StrictMode>);
