export * from './minimal-timer';
export * from './cmsdk-apb-watchdog';
export * from './cmsdk-apb-dualtimer';
export * from './sp804';
export * from './cmsdk-apb-timer';
export * from './arm-mptimer';
export * from './allwinner-a10-pit';
export * from './xilinx-axi-timer';
