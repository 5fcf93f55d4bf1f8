import { defineRule } from './define';

export default defineRule({
  id: 'client-per-request',
  description: 'A client session is created per request; sessions are meant to be reused.',
  defaultSeverity: 'info',
  fix: 'none',
});
