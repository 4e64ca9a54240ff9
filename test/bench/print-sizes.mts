import { printBundleSizes } from './bundle-sizes';
await printBundleSizes();
