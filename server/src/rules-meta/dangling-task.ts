import { defineRule } from './define';

export default defineRule({
  id: 'dangling-task',
  description: 'A task is created and no reference is kept: it can be garbage-collected before it finishes.',
  defaultSeverity: 'warning',
  fix: 'suggestion',
});
