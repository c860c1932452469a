/**
 * One thing anyone reading the chain learns from the MHR Chain contracts: what it is, why it stays public, and the
 * exact fields (transaction inputs `contract.function(argument)`, event arguments `contract.Event{argument}`,
 * transaction envelope `transaction.*`, contract storage `contract.storage`) that carry it.
 */
export interface ObservableFact {
  /** A short stable id, e.g. `care-relationship`. */
  readonly fact: string;
  /** What an observer learns, in plain words. */
  readonly learns: string;
  /** Why it stays on chain (what would break, or what hiding it would cost). */
  readonly why: string;
  /** The fields that carry it. */
  readonly fields: readonly string[];
}

const SIGNED = ['deadline', 'signature'];
/** The input fields of a function and its `…BySig` form (which adds the signer, a deadline and a signature). */
const withBySig = (contract: string, fn: string, args: readonly string[], signer: string | undefined) => [
  `${contract}.${fn}(${args.join(', ')})`,
  ...(signer === undefined ? [] : [`${contract}.${fn}BySig(${[signer, ...args, ...SIGNED].join(', ')})`]),
];
const eachContract = (name: (contract: string) => string[]) =>
  [
    'identityRegistry',
    'recordRegistry',
    'consentManager',
    'delegationRegistry',
    'streamAnchors',
    'diseaseReports',
  ].flatMap(name);
const scope = ['scope.kind', 'scope.category', 'scope.recordIds'];

/**
 * Everything an observer of the chain may learn from the MHR Chain contracts, fact by fact. `scanChainPrivacy` reports
 * every observed field missing from this list, and `docs/threat-model.md` renders it (a test keeps the two equal).
 * Nothing here is a name, a free text, a diagnosis or a record's content: those never reach the chain.
 */
export const OBSERVER_VIEW: readonly ObservableFact[] = [
  {
    fact: 'account-activity',
    learns:
      'Which accounts send transactions to which contract, when, how often, and with which gas; deployments of the contracts.',
    why: 'Inherent to a public chain. A patient who never pays gas signs actions that a relayer submits: the relayer is then the sender, but the signed action still names the patient.',
    fields: [
      'transaction.from',
      'transaction.to',
      'transaction.nonce',
      'transaction.value',
      'transaction.deploy',
      'block.timestamp',
    ],
  },
  {
    fact: 'identity-key',
    learns:
      'That an account registered (or rotated) an X25519 public key, and who submitted it. The key opens nothing: records are sealed to it.',
    why: 'Doctors and patients must find each other’s encryption keys without a server. The key is derived per application origin (or random), so it does not link one account’s use of two applications.',
    fields: [
      ...withBySig('identityRegistry', 'register', ['encryptionKey'], 'account'),
      ...withBySig('identityRegistry', 'rotateEncryptionKey', ['encryptionKey'], 'account'),
      'identityRegistry.IdentityRegistered{account, actor, encryptionKey}',
      'identityRegistry.EncryptionKeyRotated{account, actor, encryptionKey}',
    ],
  },
  {
    fact: 'doctor-attestation',
    learns:
      'Which accounts a registrar attests as doctors, until when, and withdrawals; which accounts are registrars and who the admin is.',
    why: 'Patients and contracts must check that a requester is a doctor. It concerns health professionals in their professional role, not patients.',
    fields: [
      'identityRegistry.attestDoctor(doctor, validUntil)',
      'identityRegistry.revokeDoctor(doctor)',
      'identityRegistry.setRegistrar(registrar, enabled)',
      'identityRegistry.transferAdmin(newAdmin)',
      'identityRegistry.DoctorAttested{doctor, registrar, validUntil}',
      'identityRegistry.DoctorAttestationRevoked{doctor, actor}',
      'identityRegistry.RegistrarUpdated{registrar, admin, enabled}',
      'identityRegistry.AdminTransferred{previousAdmin, newAdmin}',
    ],
  },
  {
    fact: 'record-anchors',
    learns:
      'That a patient account holds records: their ids, how many, when each was added and when a new version was published, and the CID of each version’s encrypted envelope (where the ciphertext can be fetched while it is stored).',
    why: 'The anchor is what lets a reader check it opens the patient’s current version and what makes the history auditable. Envelope sizes can be read from the DAG behind a CID while it is stored; contents cannot.',
    fields: [
      ...withBySig('recordRegistry', 'anchorRecord', ['cid', 'category'], 'patient'),
      ...withBySig('recordRegistry', 'supersedeRecord', ['recordId', 'cid'], 'patient'),
      ...withBySig('recordRegistry', 'supersedeRecords', ['recordIds', 'cids'], 'patient'),
      'recordRegistry.RecordAnchored{recordId, patient, actor, category, cid}',
      'recordRegistry.RecordSuperseded{recordId, patient, actor, version, cid}',
    ],
  },
  {
    fact: 'record-category',
    learns:
      'A coarse category number per record, chosen by the application (e.g. 1 = ECG). The chain does not know what a number means; an application that publishes its table makes it readable.',
    why: 'Category grants (“all my ECGs”) are enforced on chain. Applications that want no category visible use one number for every record and grant records by id or all at once.',
    fields: [
      'recordRegistry.anchorRecord(cid, category)',
      'recordRegistry.RecordAnchored{recordId, patient, actor, category, cid}',
    ],
  },
  {
    fact: 'record-erasure',
    learns: 'That and when a patient erased a record (by id).',
    why: 'The erasure is itself an act the patient may need to prove (accountability); after it, no grant reaches the record.',
    fields: [
      ...withBySig('recordRegistry', 'eraseRecords', ['recordIds'], 'patient'),
      'recordRegistry.RecordErased{recordId, patient, actor}',
    ],
  },
  {
    fact: 'care-relationship',
    learns:
      'Which doctor asked which patient for access, and when each request was granted, rejected or revoked: the patient–doctor graph, with times.',
    why: 'Consent is enforced and audited on chain between accounts, and each party transacts (or signs) as itself. Hiding the graph would take zero-knowledge membership proofs or a permissioned chain; see “What stays visible” in the threat model.',
    fields: [
      'consentManager.requestAccess(patient, scope.kind, scope.category, scope.recordIds, purpose, duration)',
      ...withBySig('consentManager', 'grantAccess', ['doctor', ...scope, 'expiresAt'], 'patient'),
      'consentManager.rejectRequest(doctor, serial)',
      'consentManager.rejectRequestBySig(patient, doctor, serial, deadline, signature)',
      'consentManager.revokeAccess(doctor, serial)',
      'consentManager.revokeAccessBySig(patient, doctor, serial, deadline, signature)',
      'consentManager.AccessRequested{patient, doctor, serial, scope.kind, scope.category, scope.recordIds, purpose, duration}',
      'consentManager.AccessGranted{patient, doctor, actor, serial, scope.kind, scope.category, scope.recordIds, expiresAt, replacedSerial}',
      'consentManager.AccessRequestRejected{patient, doctor, actor, serial}',
      'consentManager.AccessRevoked{patient, doctor, actor, serial, keyEpoch}',
    ],
  },
  {
    fact: 'access-terms',
    learns:
      'The terms of each request and grant: all records, one category number, or the listed record ids; the duration asked and the expiry granted; serials; the number of revocations so far (key epoch).',
    why: 'The contracts check these terms (a delegation within its grant, access to a record); the listed ids are also visible in the version batch that releases keys before a grant.',
    fields: [
      'consentManager.requestAccess(patient, scope.kind, scope.category, scope.recordIds, purpose, duration)',
      'consentManager.AccessRequested{patient, doctor, serial, scope.kind, scope.category, scope.recordIds, purpose, duration}',
      'consentManager.AccessGranted{patient, doctor, actor, serial, scope.kind, scope.category, scope.recordIds, expiresAt, replacedSerial}',
      'consentManager.AccessRevoked{patient, doctor, actor, serial, keyEpoch}',
    ],
  },
  {
    fact: 'purpose-code',
    learns:
      'The purpose of each access request as one of ten HL7 v3 PurposeOfUse codes (TREAT, ETREAT, HPAYMT, HRESCH, HOPERAT, PUBHLTH, PATRQT, CAREMGT, HSYSADMIN, CLINTRCH), as a number; never any text.',
    why: 'The purpose belongs to the consent record (GDPR Art. 5(1)(b), 9(2)(h)); a closed, coarse vocabulary says why access is asked without saying anything about the patient’s health.',
    fields: [
      'consentManager.requestAccess(patient, scope.kind, scope.category, scope.recordIds, purpose, duration)',
      'consentManager.AccessRequested{patient, doctor, serial, scope.kind, scope.category, scope.recordIds, purpose, duration}',
    ],
  },
  {
    fact: 'delegation',
    learns:
      'That a doctor asked to share a patient’s records with a colleague, on which terms, and the patient’s approval, rejection or revocation, with times.',
    why: 'A colleague reads only with the patient’s approval, checked on chain against the doctor’s grant, and the approval is part of the audit trail.',
    fields: [
      'delegationRegistry.requestDelegation(patient, colleague, scope.kind, scope.category, scope.recordIds, expiresAt)',
      ...withBySig(
        'delegationRegistry',
        'approveDelegation',
        ['colleague', 'terms.doctor', 'terms.serial', 'terms.scopeHash', 'terms.expiresAt'],
        'patient',
      ),
      'delegationRegistry.rejectDelegation(colleague, serial)',
      'delegationRegistry.rejectDelegationBySig(patient, colleague, serial, deadline, signature)',
      'delegationRegistry.revokeDelegation(patient, colleague, serial)',
      'delegationRegistry.revokeDelegationBySig(patient, colleague, serial, deadline, signature)',
      'delegationRegistry.DelegationRequested{patient, doctor, colleague, serial, parentSerial, scope.kind, scope.category, scope.recordIds, expiresAt}',
      'delegationRegistry.DelegationApproved{patient, colleague, actor, doctor, serial, expiresAt}',
      'delegationRegistry.DelegationRejected{patient, colleague, actor, serial}',
      'delegationRegistry.DelegationRevoked{patient, colleague, actor, serial}',
    ],
  },
  {
    fact: 'signature-bookkeeping',
    learns:
      'Which relayer submitted which patient’s signed action; signature nonces, deadlines and signatures (which recover to the signer’s address); that an account cancelled its outstanding signatures.',
    why: 'Replay protection for gasless actions. A signature reveals its signer, which the action names anyway.',
    fields: eachContract((contract) => [
      `${contract}.invalidateNonces(newNonce)`,
      `${contract}.invalidateNoncesBySig(account, newNonce, deadline, signature)`,
      `${contract}.NoncesInvalidated{account, actor, previousNonce, newNonce}`,
    ]),
  },
  {
    fact: 'stream-anchors',
    learns:
      'That a patient’s authorised device anchored batches of live ECG segments: how many segments, a Merkle root, when; which devices a patient authorised.',
    why: 'The anchor proves later that an archived segment is the one streamed. The root reveals no sample; the count and times show that a recording happened and how long it ran.',
    fields: [
      ...withBySig('streamAnchors', 'anchorStreamBatch', ['patient', 'root', 'segmentCount'], undefined),
      'streamAnchors.anchorStreamBatchBySig(patient, root, segmentCount, deadline, signature)',
      ...withBySig('streamAnchors', 'setDeviceAuthorization', ['device', 'authorized'], 'patient'),
      'streamAnchors.StreamBatchAnchored{batchId, patient, actor, root, segmentCount}',
      'streamAnchors.DeviceAuthorizationChanged{patient, device, actor, authorized}',
    ],
  },
  {
    fact: 'statistics-reports',
    learns:
      'That a patient account took part in a statistics round, and its report: a few bytes randomised on the device under local differential privacy (ε per round, budgeted), not its true answers; rounds, their schema hash and closing time.',
    why: 'The aggregate needs every report; local differential privacy bounds what one report says about its patient. Whoever knows the account still learns that it reported.',
    fields: [
      'diseaseReports.openRound(schemaHash, closesAt)',
      'diseaseReports.submitReport(roundId, report)',
      'diseaseReports.submitReportBySig(roundId, patient, report, deadline, signature)',
      'diseaseReports.ReportSubmitted{roundId, patient, report}',
      'diseaseReports.RoundOpened{roundId, opener, schemaHash, closesAt}',
    ],
  },
  {
    fact: 'contract-state',
    learns:
      'The contracts’ storage: the same facts as the events above (grants, requests, delegations, record heads, key epochs, nonces), most under hashed keys that anyone who knows the accounts and ids can recompute.',
    why: 'Contracts check consent against their own state. Storage holds no field that the events do not already show.',
    fields: eachContract((contract) => [`${contract}.storage`]),
  },
];
