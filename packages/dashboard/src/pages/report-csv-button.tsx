import { useState } from 'preact/hooks';
import { downloadFile } from '../download.js';
import { Button } from '../ui.js';

/** "Export CSV" for one report: fetches the file with the session's token and hands it to the browser. */
export function ExportCsvButton(props: { path: string; name: string }) {
  const [state, setState] = useState<'idle' | 'busy' | 'failed'>('idle');
  const save = () => {
    setState('busy');
    downloadFile(props.path).then(
      () => setState('idle'),
      () => setState('failed'),
    );
  };
  return (
    <Button
      variant="ghost"
      class="text-xs"
      onClick={save}
      disabled={state === 'busy'}
      data-testid={`export-${props.name}`}
      title={state === 'failed' ? 'The export failed; try again' : undefined}
    >
      {state === 'failed' ? 'Export failed, retry' : 'Export CSV'}
    </Button>
  );
}
