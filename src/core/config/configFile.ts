/** One file of the configuration: the main agent.json or a drop-in of agent.d/. */
export interface ConfigFile {
  path: string;
  text: string;
}

/** Something wrong in the config, named by file and JSON path (`flows[1].maxBufferSizeRecords`). */
export interface ConfigProblem {
  file: string;
  path: string;
  message: string;
}

/** Where each flow of the merged config came from (the main file or a drop-in), for saving. */
export interface FlowOrigin {
  file: string;
  index: number;
}

export function formatProblem(problem: ConfigProblem, mainFile: string): string {
  const where = problem.path === '' ? '(root)' : problem.path;
  return problem.file === mainFile ? `${where}: ${problem.message}` : `${problem.file}: ${where}: ${problem.message}`;
}
