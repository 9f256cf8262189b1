import { mount } from 'svelte';
import App from './App.svelte';
import { startApp } from './lib/services/startup.ts';
import './styles/app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
mount(App, { target });
void startApp();
