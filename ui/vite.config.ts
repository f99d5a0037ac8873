import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// The built files are compiled into the desktop binary; nothing is fetched at run time.
export default defineConfig({
  plugins: [vue()],
  clearScreen: false,
  build: { target: 'safari15', outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1024 },
  test: { environment: 'jsdom', include: ['src/**/*.spec.ts'] },
})
