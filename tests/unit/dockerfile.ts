/**
 * Reads the Dockerfile the way Docker does (dockerfile-ast): its stages, the
 * final stage's start and health-check commands and ENV. Shared by
 * deploy-files.test.ts (lint) and build.test.ts (runs those commands).
 */
import { DockerfileParser, type Instruction } from 'dockerfile-ast';

export interface Stage {
  name: string | null;
  image: string;
  instructions: Instruction[];
}

export function parseStages(text: string): { stages: Stage[]; args: Map<string, string> } {
  const dockerfile = DockerfileParser.parse(text);
  const args = new Map<string, string>();
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    if (property) args.set(property.getName(), property.getValue() ?? '');
  }
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const [image = '', , name = null] = instruction.getArguments().map((a) => a.getValue());
      const resolved = image.replace(/\$\{(\w+)\}|\$(\w+)/gu, (_m, a?: string, b?: string) => args.get(a ?? b ?? '') ?? '');
      stages.push({ name, image: resolved, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return { stages, args };
}

/** Exec-form JSON array of CMD / HEALTHCHECK … CMD, as Docker reads it. */
export function execForm(instruction: Instruction): string[] {
  const raw = (instruction.getRawArgumentsContent() ?? '').replace(/\\\r?\n/gu, ' ');
  const json = raw.slice(raw.indexOf('['));
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) throw new Error(`not an exec form: ${raw}`);
  return parsed.map((p) => {
    if (typeof p !== 'string') throw new Error(`not an exec form: ${raw}`);
    return p;
  });
}

export function keyword(stage: Stage, name: string): Instruction[] {
  return stage.instructions.filter((i) => i.getKeyword() === name);
}

export function argsOf(instruction: Instruction): string[] {
  return instruction.getArguments().map((a) => a.getValue());
}

/** `ENV A=1 B=2` → {A: '1', B: '2'} */
export function envOf(stage: Stage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const env of keyword(stage, 'ENV')) {
    for (const pair of argsOf(env)) {
      const eq = pair.indexOf('=');
      if (eq > 0) out[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return out;
}


/** The image's start command, health-check command and ENV, as the final stage declares them. */
export function readImageCommands(text: string): { cmd: string[]; healthcheck: string[]; env: Record<string, string> } {
  const final = parseStages(text).stages.at(-1);
  if (!final) throw new Error('Dockerfile has no stage');
  const cmd = keyword(final, 'CMD').at(-1);
  const healthcheck = keyword(final, 'HEALTHCHECK').at(-1);
  if (!cmd || !healthcheck) throw new Error('final stage lacks CMD or HEALTHCHECK');
  return { cmd: execForm(cmd), healthcheck: execForm(healthcheck), env: envOf(final) };
}
