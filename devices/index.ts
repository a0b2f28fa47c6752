export * from './minimal-timer';
export * from './cmsdk-apb-watchdog';
