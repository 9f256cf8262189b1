/**
 * The built-in tag vocabulary: everyday photo concepts, each scored by zero-shot CLIP through an
 * ensemble of prompts (the averaged text embedding of several phrasings is a steadier target
 * than any one sentence). Bump VOCABULARY_VERSION whenever a concept or template changes: the
 * version is part of the key that tells retag() which photos need tagging again.
 */
export const VOCABULARY_VERSION = 1;

export type ConceptGroup =
  | 'people'
  | 'animals'
  | 'food'
  | 'nature'
  | 'places'
  | 'setting'
  | 'events'
  | 'documents'
  | 'vehicles'
  | 'things'
  | 'art'
  | 'colour'
  | 'sensitive';

export interface ConceptDef {
  /** Stable key: decisions and stored tags refer to it, so renaming a tag keeps them. */
  id: string;
  name: string;
  group: ConceptGroup;
  prompts: string[];
}

/** What a photo of "nothing in particular" looks like to the model: the margin's baseline. */
export const GENERIC_PROMPT = 'a photo.';

const OBJECT = [
  'a photo of {}.',
  'a close-up photo of {}.',
  'a good photo of {}.',
  'a cropped photo of {}.',
  'a bright photo of {}.',
];
const SCENE = ['a photo of {}.', 'a landscape photo of {}.', 'a wide-angle photo of {}.', 'a travel photo of {}.'];
const PLACE = ['a photo of {}.', 'a photo taken in {}.', 'a wide photo of {}.'];
const EVENT = ['a photo taken at {}.', 'a photo of {}.', 'a candid photo from {}.', 'people at {}.'];
const DOCUMENT = ['a photo of {}.', 'a picture of {}.', 'a scan of {}.', '{}.'];
const ART = ['a photo of {}.', 'an image of {}.', 'a close-up photo of {}.'];
const COLOUR = ['a {} photo.', 'a photo of something {}.', 'a photo with lots of {}.', 'a mostly {} picture.'];
const SENSITIVE = ['a photo containing {}.', 'an image showing {}.', 'a picture of {}.'];

const TEMPLATES: Record<ConceptGroup, readonly string[]> = {
  people: OBJECT,
  animals: OBJECT,
  food: OBJECT,
  vehicles: OBJECT,
  things: OBJECT,
  nature: SCENE,
  places: PLACE,
  setting: ['{}.', 'a photo of {}.', 'a picture of {}.'],
  events: EVENT,
  documents: DOCUMENT,
  art: ART,
  colour: COLOUR,
  sensitive: SENSITIVE,
};

/** name, or [name, the phrase the templates wrap] where the bare name reads badly in a sentence. */
type Entry = string | [string, string];

const ENTRIES: Record<ConceptGroup, Entry[]> = {
  people: [
    ['person', 'a person'],
    ['man', 'a man'],
    ['woman', 'a woman'],
    ['child', 'a child'],
    ['baby', 'a baby'],
    ['toddler', 'a toddler'],
    ['teenager', 'a teenager'],
    ['elderly person', 'an elderly person'],
    ['couple', 'a couple'],
    ['family', 'a family'],
    ['group of people', 'a group of people'],
    ['crowd', 'a crowd of people'],
    ['friends', 'friends together'],
    ['selfie', 'a selfie'],
    ['portrait', 'a portrait of a person'],
    ['smiling face', 'a smiling face'],
    ['team', 'a sports team'],
    ['students', 'students in a classroom'],
  ],
  animals: [
    ['dog', 'a dog'],
    ['puppy', 'a puppy'],
    ['cat', 'a cat'],
    ['kitten', 'a kitten'],
    ['horse', 'a horse'],
    ['bird', 'a bird'],
    ['parrot', 'a parrot'],
    ['chicken', 'a chicken'],
    ['duck', 'a duck'],
    ['fish', 'a fish'],
    ['aquarium', 'an aquarium'],
    ['rabbit', 'a rabbit'],
    ['hamster', 'a hamster'],
    ['guinea pig', 'a guinea pig'],
    ['turtle', 'a turtle'],
    ['lizard', 'a lizard'],
    ['snake', 'a snake'],
    ['frog', 'a frog'],
    ['cow', 'a cow'],
    ['sheep', 'a sheep'],
    ['goat', 'a goat'],
    ['pig', 'a pig'],
    ['deer', 'a deer'],
    ['bear', 'a bear'],
    ['elephant', 'an elephant'],
    ['giraffe', 'a giraffe'],
    ['zebra', 'a zebra'],
    ['lion', 'a lion'],
    ['tiger', 'a tiger'],
    ['monkey', 'a monkey'],
    ['squirrel', 'a squirrel'],
    ['fox', 'a fox'],
    ['wolf', 'a wolf'],
    ['butterfly', 'a butterfly'],
    ['insect', 'an insect'],
    ['spider', 'a spider'],
    ['bee', 'a bee'],
    ['dolphin', 'a dolphin'],
    ['whale', 'a whale'],
    ['seal', 'a seal'],
    ['penguin', 'a penguin'],
    ['owl', 'an owl'],
    ['eagle', 'an eagle'],
    ['swan', 'a swan'],
  ],
  food: [
    ['food', 'food'],
    ['meal', 'a plated meal'],
    ['breakfast', 'breakfast'],
    ['pizza', 'a pizza'],
    ['burger', 'a burger'],
    ['sandwich', 'a sandwich'],
    ['pasta', 'a plate of pasta'],
    ['sushi', 'sushi'],
    ['salad', 'a salad'],
    ['soup', 'a bowl of soup'],
    ['steak', 'a steak'],
    ['barbecue', 'a barbecue grill with food'],
    ['bread', 'bread'],
    ['cake', 'a cake'],
    ['cupcake', 'a cupcake'],
    ['cookies', 'cookies'],
    ['ice cream', 'ice cream'],
    ['dessert', 'a dessert'],
    ['chocolate', 'chocolate'],
    ['fruit', 'fresh fruit'],
    ['vegetables', 'vegetables'],
    ['coffee', 'a cup of coffee'],
    ['tea', 'a cup of tea'],
    ['beer', 'a glass of beer'],
    ['wine', 'a glass of wine'],
    ['cocktail', 'a cocktail'],
    ['street food', 'street food'],
    ['baking', 'home baking'],
  ],
  nature: [
    ['beach', 'a beach'],
    ['sea', 'the sea'],
    ['lake', 'a lake'],
    ['river', 'a river'],
    ['waterfall', 'a waterfall'],
    ['mountains', 'mountains'],
    ['hills', 'rolling hills'],
    ['valley', 'a valley'],
    ['snow', 'snow'],
    ['glacier', 'a glacier'],
    ['desert', 'a desert'],
    ['forest', 'a forest'],
    ['jungle', 'a jungle'],
    ['field', 'a field'],
    ['meadow', 'a meadow'],
    ['flowers', 'flowers'],
    ['garden', 'a garden'],
    ['tree', 'a tree'],
    ['park', 'a park'],
    ['sunset', 'a sunset'],
    ['sunrise', 'a sunrise'],
    ['clouds', 'a cloudy sky'],
    ['rainbow', 'a rainbow'],
    ['storm', 'a storm'],
    ['fog', 'fog'],
    ['night sky', 'a night sky with stars'],
    ['moon', 'the moon'],
    ['island', 'an island'],
    ['cliff', 'a cliff'],
    ['cave', 'a cave'],
    ['volcano', 'a volcano'],
    ['countryside', 'the countryside'],
    ['farm', 'a farm'],
    ['vineyard', 'a vineyard'],
    ['autumn leaves', 'autumn leaves'],
    ['rain', 'rain'],
    ['coast', 'a rocky coast'],
  ],
  places: [
    ['city', 'a city'],
    ['skyline', 'a city skyline'],
    ['street', 'a street'],
    ['city at night', 'a city at night'],
    ['village', 'a village'],
    ['harbour', 'a harbour'],
    ['bridge', 'a bridge'],
    ['road', 'a road'],
    ['swimming pool', 'a swimming pool'],
    ['house', 'a house'],
    ['skyscraper', 'a skyscraper'],
    ['church', 'a church'],
    ['temple', 'a temple'],
    ['castle', 'a castle'],
    ['ruins', 'ancient ruins'],
    ['monument', 'a monument'],
    ['museum', 'a museum'],
    ['stadium', 'a stadium'],
    ['airport', 'an airport'],
    ['train station', 'a train station'],
    ['market', 'a market'],
    ['shop', 'a shop'],
    ['restaurant', 'a restaurant'],
    ['cafe', 'a cafe'],
    ['bar', 'a bar'],
    ['hotel room', 'a hotel room'],
    ['office', 'an office'],
    ['classroom', 'a classroom'],
    ['kitchen', 'a kitchen'],
    ['living room', 'a living room'],
    ['bedroom', 'a bedroom'],
    ['bathroom', 'a bathroom'],
    ['playground', 'a playground'],
    ['construction site', 'a construction site'],
  ],
  setting: [
    ['indoors', 'an indoor scene'],
    ['outdoors', 'an outdoor scene'],
  ],
  events: [
    ['wedding', 'a wedding'],
    ['birthday', 'a birthday party'],
    ['party', 'a party'],
    ['concert', 'a concert'],
    ['festival', 'a festival'],
    ['parade', 'a parade'],
    ['graduation', 'a graduation ceremony'],
    ['christmas', 'christmas'],
    ['halloween', 'halloween'],
    ['new year', 'a new year celebration'],
    ['conference', 'a conference'],
    ['meeting', 'a business meeting'],
    ['sports', 'a sports game'],
    ['football', 'a football match'],
    ['basketball', 'a basketball game'],
    ['tennis', 'a tennis match'],
    ['swimming', 'people swimming'],
    ['running', 'a running race'],
    ['cycling', 'people cycling'],
    ['skiing', 'people skiing'],
    ['surfing', 'people surfing'],
    ['hiking', 'a hike'],
    ['camping', 'a campsite'],
    ['picnic', 'a picnic'],
    ['fishing', 'people fishing'],
    ['dancing', 'people dancing'],
    ['theatre', 'a theatre performance'],
    ['fireworks', 'fireworks'],
    ['road trip', 'a road trip'],
    ['school play', 'a school play'],
  ],
  documents: [
    ['screenshot', 'a screenshot'],
    ['receipt', 'a receipt'],
    ['whiteboard', 'a whiteboard'],
    ['text page', 'a page of text'],
    ['document', 'a document'],
    ['handwritten note', 'a handwritten note'],
    ['book', 'a book'],
    ['menu', 'a restaurant menu'],
    ['map', 'a map'],
    ['ticket', 'a ticket'],
    ['identity document', 'an identity document'],
    ['business card', 'a business card'],
    ['chart', 'a chart'],
    ['slide', 'a presentation slide'],
    ['qr code', 'a qr code'],
    ['sign', 'a sign with text'],
    ['poster', 'a poster'],
  ],
  vehicles: [
    ['car', 'a car'],
    ['truck', 'a truck'],
    ['bus', 'a bus'],
    ['train', 'a train'],
    ['tram', 'a tram'],
    ['bicycle', 'a bicycle'],
    ['motorcycle', 'a motorcycle'],
    ['boat', 'a boat'],
    ['sailboat', 'a sailboat'],
    ['ship', 'a ship'],
    ['airplane', 'an airplane'],
    ['helicopter', 'a helicopter'],
    ['tractor', 'a tractor'],
    ['scooter', 'a scooter'],
  ],
  things: [
    ['smartphone', 'a smartphone'],
    ['laptop', 'a laptop computer'],
    ['computer screen', 'a computer screen'],
    ['television', 'a television'],
    ['toys', 'toys'],
    ['teddy bear', 'a teddy bear'],
    ['gift', 'a wrapped gift'],
    ['christmas tree', 'a christmas tree'],
    ['candles', 'candles'],
    ['clock', 'a clock'],
    ['shoes', 'shoes'],
    ['clothing', 'clothing'],
    ['jewellery', 'jewellery'],
    ['houseplant', 'a potted plant'],
    ['guitar', 'a guitar'],
    ['piano', 'a piano'],
    ['camera', 'a camera'],
    ['balloons', 'balloons'],
  ],
  art: [
    ['painting', 'a painting'],
    ['drawing', 'a drawing'],
    ['sculpture', 'a sculpture'],
    ['graffiti', 'graffiti'],
    ['statue', 'a statue'],
    ['mural', 'a mural'],
    ['tattoo', 'a tattoo'],
    ['cartoon', 'a cartoon'],
  ],
  colour: ['red', 'green', 'blue', 'yellow', 'orange', 'purple', ['black-and-white', 'black and white']],
  sensitive: [
    ['nudity', 'nudity'],
    ['violence', 'graphic violence'],
    ['gore', 'blood and gore'],
    ['hateful symbol', 'a hateful symbol'],
  ],
};

/** Lower-case words and digits joined by hyphens: a stable, readable key for a name. */
export function slug(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function promptsFor(group: ConceptGroup, phrase: string): string[] {
  return TEMPLATES[group].map((t) => t.replace('{}', phrase));
}

function build(): ConceptDef[] {
  const out: ConceptDef[] = [];
  for (const [group, entries] of Object.entries(ENTRIES) as [ConceptGroup, Entry[]][]) {
    for (const e of entries) {
      const [name, phrase] = typeof e === 'string' ? [e, e] : e;
      out.push({ id: slug(name), name, group, prompts: promptsFor(group, phrase) });
    }
  }
  return out;
}

export const BUILTIN_CONCEPTS: readonly ConceptDef[] = build();

/** Groups whose concepts never become albums of their own. */
export const NON_ALBUM_GROUPS: ReadonlySet<ConceptGroup> = new Set(['sensitive']);
