/**
 * Saving an editor page that both creates an item and edits it (a product, a coupon template).
 */
import { useQueryClient, type QueryKey } from '@tanstack/react-query';
import { App } from 'antd';
import { useNavigate } from 'react-router';
import { problemText } from '../api/messages';

/** A problem on one field of the form, as antd's `name` path. */
export interface FieldProblem {
  path: (string | number)[];
  message: string;
}

/** A create or update body built from the form: the body, or the problems that stop it. */
export interface BuiltBody<B> {
  body?: B;
  problems: FieldProblem[];
  /** An update that would change nothing. */
  unchanged?: boolean;
}

export interface EditorSave {
  /** True when editing a saved item, false on the new-item page. */
  editing: boolean;
  /** The query the item's page reads, filled with what the server answered. */
  cacheKey: (id: string) => QueryKey;
  createdText: string;
  /** Where a new item's page lives: the new-item URL is replaced by it. */
  pathOf: (id: string) => string;
  /** The server's refusal as problems on the form's fields, when it names fields the form has. */
  fieldProblems: (err: unknown) => FieldProblem[] | undefined;
  showProblems: (problems: FieldProblem[]) => void;
  setDirty: (dirty: boolean) => void;
}

/**
 * Returns `save(built, send)`: an edit that changes nothing says so and sends nothing; problems
 * found before sending go on their fields; what the server answers goes into the item's query so
 * the page shows it without asking again.
 */
export function useEditorSave<Out extends { id: string }>(o: EditorSave) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  async function send(call: () => Promise<Out>) {
    try {
      const out = await call();
      queryClient.setQueryData(o.cacheKey(out.id), out);
      message.success(o.editing ? '已保存 · Saved' : o.createdText);
      o.setDirty(false);
      if (!o.editing) navigate(o.pathOf(out.id), { replace: true });
    } catch (err) {
      const problems = o.fieldProblems(err);
      if (problems) o.showProblems(problems);
      else message.error(problemText(err));
    }
  }

  return async function save<B>(built: BuiltBody<B>, sendBody: (body: B) => Promise<Out>) {
    if (built.unchanged) {
      message.info('没有修改 · Nothing changed');
      o.setDirty(false);
      return;
    }
    const body = built.body;
    if (!body) return o.showProblems(built.problems);
    await send(() => sendBody(body));
  };
}
