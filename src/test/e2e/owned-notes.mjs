// Shared by the realtime scripts: they check who hears of which note, so they must agree on who may see one.

/**
 * The definition of a collection of notes that only their owner may list, view, change or delete. Any signed-in
 * user may create one; NanoDB fills owner_id with the creator's id.
 */
export function ownedNotes(name) {
  const owner = 'owner_id = @request.auth.id';
  return {
    name,
    type: 'base',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'owner_id', type: 'text', indexed: true },
    ],
    listRule: owner, viewRule: owner, createRule: '@request.auth.id != ""', updateRule: owner, deleteRule: owner,
  };
}
