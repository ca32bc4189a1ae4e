// Vite resolves CSS imports at build time; they carry no exports the code uses.
declare module '*.css';
