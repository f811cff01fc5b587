import type { CallbackTaskDto, HoursStatusDto } from '@leaddesk/shared';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../../api.js';
import { Badge, Button } from '../../ui.js';
import { MODE_LABEL } from './rule-labels.js';

/**
 * The business-hours mode now, the next opening and the open call-back
 * tasks. Reloaded whenever `version` changes (after the hours are saved, the
 * mode may be another).
 */
export function HoursStatus({ version, canCallBack }: { version: number; canCallBack: boolean }) {
  const [hours, setHours] = useState<HoursStatusDto | null>(null);
  const [tasks, setTasks] = useState<CallbackTaskDto[]>([]);
  const [error, setError] = useState<string | null>(null);
  /** Done: the task leaves the open list (the server keeps who and when). */
  const complete = async (task: CallbackTaskDto) => {
    try {
      await api.completeCallbackTask(task.id);
      setTasks((list) => list.filter((x) => x.id !== task.id));
      setError(null);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'could not mark the call-back done');
    }
  };

  useEffect(() => {
    api.automationHours().then(setHours, () => setHours(null));
    api.callbackTasks().then(
      (c) => setTasks(c.data),
      () => setTasks([]),
    );
  }, [version]);

  return (
    <div>
      {hours && (
        <p class="text-sm text-slate-700" data-testid="hours-mode">
          Now:{' '}
          <Badge tone={hours.open ? 'bg-emerald-100 text-emerald-800' : 'bg-amber-100 text-amber-800'}>
            {MODE_LABEL[hours.mode]}
          </Badge>
          {hours.nextOpenAt && !hours.open && (
            <span class="ml-2 text-slate-500">
              opens{' '}
              {new Date(hours.nextOpenAt).toLocaleString(undefined, {
                timeZone: hours.timezone,
                weekday: 'short',
                hour: '2-digit',
                minute: '2-digit',
              })}{' '}
              ({hours.timezone})
            </span>
          )}
        </p>
      )}
      <h3 class="mt-3 text-xs font-semibold uppercase text-slate-500">Call-back tasks</h3>
      {error && (
        <p class="text-sm text-red-700" role="alert">
          {error}
        </p>
      )}
      {tasks.length === 0 ? (
        <p class="text-sm text-slate-500">No call-backs promised.</p>
      ) : (
        <ul class="mt-1 space-y-1 text-sm" data-testid="callback-tasks">
          {tasks.map((task) => (
            <li key={task.id} class="flex items-center gap-1" data-testid="callback-task" data-task-id={task.id}>
              {new Date(task.dueAt).toLocaleString()} · <Badge>{MODE_LABEL[task.mode]}</Badge>{' '}
              <a class="text-indigo-600 hover:underline" href={`/dashboard/inbox/${task.conversationId}`}>
                conversation
              </a>
              {canCallBack && (
                <Button variant="ghost" onClick={() => void complete(task)} aria-label="Mark call-back done">
                  Done
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
