export * from './bank-accounts.js';
export * from './provident-fund.js';
export * from './public-records.js';
export * from './real-estate.js';
export * from './regions.js';
export * from './subjects.js';
export * from './vehicles.js';
