export * from './minimal-timer';
