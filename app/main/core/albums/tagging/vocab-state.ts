import { createHash } from 'node:crypto';
import { ShoeboxError } from '../../errors.ts';
import { sqlString } from '../../store/sql.ts';
import type { AlbumDb, VocabRow } from '../user/album-db.ts';
import { calibrationKey } from '../../model/calibration.ts';
import type { Calibration } from '../../model/calibration.ts';
import { TAG_RULE, tagRuleFor } from './tag-rule.ts';
import type { TagRule } from './tag-rule.ts';
import { BUILTIN_CONCEPTS, NON_ALBUM_GROUPS, promptsFor, slug, VOCABULARY_VERSION } from './vocabulary.ts';
import type { ConceptGroup } from './vocabulary.ts';

export interface Concept {
  id: string;
  name: string;
  group: ConceptGroup | 'custom';
  prompts: string[];
  builtin: boolean;
  /** Still scored (so the softmax is unchanged) but not shown and not an album. */
  hidden: boolean;
  sensitive: boolean;
}

export interface Vocabulary {
  /** Active concepts (hidden ones included), in scoring order. */
  concepts: Concept[];
  /** Changes whenever stored tags would come out differently: then retag() redoes them. */
  key: string;
  byId: Map<string, Concept>;
  /** THE RULE as this model's calibration sets it. */
  rule: TagRule;
}

const MAX_NAME = 100;

export function buildVocabulary(edits: readonly VocabRow[], modelId: string, calibration: Calibration): Vocabulary {
  const byEdit = new Map(edits.map((e) => [e.id, e]));
  const concepts: Concept[] = [];
  for (const def of BUILTIN_CONCEPTS) {
    const e = byEdit.get(def.id);
    if (e?.removed) continue;
    concepts.push({
      id: def.id,
      name: e && e.name !== '' ? e.name : def.name,
      group: def.group,
      prompts: def.prompts,
      builtin: true,
      hidden: e?.hidden ?? false,
      sensitive: NON_ALBUM_GROUPS.has(def.group),
    });
  }
  for (const e of edits) {
    if (!e.custom || e.removed) continue;
    concepts.push({
      id: e.id,
      name: e.name,
      group: 'custom',
      prompts: JSON.parse(e.prompts) as string[],
      builtin: false,
      hidden: e.hidden,
      sensitive: false,
    });
  }
  concepts.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const key = createHash('sha256')
    .update(
      JSON.stringify([
        VOCABULARY_VERSION,
        TAG_RULE.version,
        modelId,
        calibrationKey(calibration),
        concepts.map((c) => [c.id, c.prompts, c.sensitive]),
      ]),
    )
    .digest('hex')
    .slice(0, 16);
  return { concepts, key, byId: new Map(concepts.map((c) => [c.id, c])), rule: tagRuleFor(calibration) };
}

/** By id, else by shown name (any case). */
export function findConcept(vocab: Vocabulary, ref: string): Concept {
  const r = ref.trim();
  const hit = vocab.byId.get(r) ?? vocab.concepts.find((c) => c.name.toLowerCase() === r.toLowerCase());
  if (!hit) throw new ShoeboxError('NOT_FOUND', `there is no tag "${ref}"`);
  return hit;
}

function checkName(vocab: Vocabulary, name: string, except?: string): string {
  const n = name.trim();
  if (n === '') throw new ShoeboxError('BAD_REQUEST', 'a tag needs a name');
  if (n.length > MAX_NAME) throw new ShoeboxError('BAD_REQUEST', `a tag name can be at most ${MAX_NAME} characters`);
  const clash = vocab.concepts.find((c) => c.id !== except && c.name.toLowerCase() === n.toLowerCase());
  if (clash) throw new ShoeboxError('BAD_REQUEST', `there is already a tag called "${clash.name}"`);
  return n;
}

function editRow(db: VocabRow | undefined, c: { id: string; group: string }, change: Partial<VocabRow>): VocabRow {
  const base: VocabRow = db ?? {
    id: c.id,
    name: '',
    group: c.group,
    prompts: '',
    custom: false,
    hidden: false,
    removed: false,
    updated_at: 0,
  };
  return { ...base, ...change, updated_at: Date.now() };
}

async function editOf(db: AlbumDb, id: string): Promise<VocabRow | undefined> {
  return (await db.rows<VocabRow>('tag_vocab', `id = ${sqlString(id)}`))[0];
}

/**
 * A new tag scored like the built-ins. Its prompts default to the everyday-object templates
 * around the name; naming a built-in tag that was removed brings it back instead.
 */
export async function addConcept(db: AlbumDb, vocab: Vocabulary, name: string, prompts?: string[]): Promise<string> {
  const n = checkName(vocab, name);
  const builtin = BUILTIN_CONCEPTS.find((d) => d.name.toLowerCase() === n.toLowerCase() || d.id === slug(n));
  if (builtin && !vocab.byId.has(builtin.id)) {
    await db.merge('tag_vocab', 'id', [editRow(await editOf(db, builtin.id), builtin, { removed: false })]);
    return builtin.id;
  }
  const base = slug(n);
  if (base === '') throw new ShoeboxError('BAD_REQUEST', 'a tag name needs at least one letter or digit');
  const list = (prompts ?? promptsFor('things', n)).map((p) => p.trim()).filter((p) => p !== '');
  if (list.length === 0 || list.length > 20) throw new ShoeboxError('BAD_REQUEST', 'a tag needs 1 to 20 prompts');
  let id = `custom-${base}`;
  for (let i = 2; vocab.byId.has(id) || BUILTIN_CONCEPTS.some((d) => d.id === id); i++) id = `custom-${base}-${i}`;
  await db.merge('tag_vocab', 'id', [
    editRow(undefined, { id, group: 'custom' }, { name: n, prompts: JSON.stringify(list), custom: true }),
  ]);
  return id;
}

export async function renameConcept(db: AlbumDb, vocab: Vocabulary, ref: string, name: string): Promise<void> {
  const c = findConcept(vocab, ref);
  const n = checkName(vocab, name, c.id);
  await db.merge('tag_vocab', 'id', [editRow(await editOf(db, c.id), c, { name: n })]);
}

export async function hideConcept(db: AlbumDb, vocab: Vocabulary, ref: string, hidden: boolean): Promise<void> {
  const c = findConcept(vocab, ref);
  await db.merge('tag_vocab', 'id', [editRow(await editOf(db, c.id), c, { hidden })]);
}

/** A custom tag goes for good; a built-in one is remembered as removed (addTag brings it back). */
export async function removeConcept(db: AlbumDb, vocab: Vocabulary, ref: string): Promise<void> {
  const c = findConcept(vocab, ref);
  if (c.builtin) await db.merge('tag_vocab', 'id', [editRow(await editOf(db, c.id), c, { removed: true })]);
  else await db.delete('tag_vocab', `id = ${sqlString(c.id)}`);
}
