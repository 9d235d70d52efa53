/** Public surface of the pure group protocol (spec "Groups" … "Exchanging messages"). */
export { GroupProtocolError, InvitationError, type GroupProtocolErrorCode } from './errors'
export {
  createMultiMemberGroup,
  accountGroup,
  contactGroup,
  groupFromInvitation,
  groupSecretsFrom,
  replicaKeysOf,
  verifyReplicaKeys,
  ownMemberKey,
  wipeGroupSecrets,
  type GroupKind,
  type GroupSecrets,
  type ReplicaKeys,
  type CreatedGroup,
  type InvitationKeys
} from './keys'
export {
  groupShareLinks,
  decodeGroupInvitation,
  inspectShareLink,
  INVITATION_VERSION,
  MAX_INVITATION_URL_LENGTH,
  GROUP_INVITATION_PREFIX,
  type DecodedGroupInvitation,
  type GroupShareLinks,
  type ShareLinkSummary
} from './invitation'
export { entryAuthMessage, signEntry, verifyEntry, MAX_SEALED_ENTRY_BYTES, MAX_LOG_ID_BYTES } from './entry-auth'
export {
  MetadataType,
  MAX_GROUP_NAME_CHARS,
  MAX_METADATA_BODY_BYTES,
  initMemberBody,
  initMemberPayload,
  memberDeviceBody,
  deviceSecretBody,
  openDeviceSecret,
  aliasResolver,
  aliasBody,
  verifyAliasProof,
  groupInfoBody,
  memberProfileBody,
  type InitMember,
  type MemberDevice,
  type DeviceSecret,
  type WeshPassThroughEvent,
  type Alias,
  type MetadataEventBody,
  type MetadataEvent,
  type DeviceKey
} from './metadata'
export { sealMetadataEvent, openMetadataEvent, type SealOptions } from './metadata-wire'
export {
  AppMessageType,
  encodeAppMetadata,
  decodeAppMetadata,
  encodeUserMessage,
  decodeAppMessage,
  type AppMetadata,
  type OpenedAppMessage
} from './app-message'
export {
  DEFAULT_MAX_SKIP,
  DEFAULT_MAX_CACHED,
  MAX_SKIPPED_LIMIT,
  newSenderChain,
  nextSendKey,
  shareableChainKey,
  mergeEarlierKey,
  receiverChainFrom,
  receiveKey,
  wipeSenderChain,
  wipeReceiverChain,
  serializeReceiverChain,
  deserializeReceiverChain,
  encodeDeviceChainKey,
  decodeDeviceChainKey,
  type DeviceChainKey,
  type SenderChain,
  type ReceiverChain,
  type ReceiveOptions,
  type SendStep,
  type ReceiveStep
} from './ratchet'
export {
  MAX_MESSAGE_TEXT_BYTES,
  sealMessage,
  openMessageHeaders,
  openMessageBody,
  openMessageWithChain,
  encodeEncryptedMessage,
  type MessagePayload,
  type OpenedPayload,
  type SealMessageOptions,
  type OpenBodyOptions,
  type MessageHeaders,
  type SealedMessage,
  type OpenedMessage
} from './message'
export {
  MAX_GROUP_MEMBERS,
  MAX_DEVICES_PER_MEMBER,
  MAX_PENDING_EVENTS,
  keyId,
  createGroupState,
  applyMetadataEvent,
  applyMetadataEvents,
  contactAliasIndex,
  memberAliasMatches,
  memberOfDevice,
  type GroupState,
  type MemberState,
  type Me,
  type GroupEffect,
  type ApplyResult,
  type ContactAlias,
  type AliasMatch
} from './state'
export {
  WeshEventType,
  WESH_PASS_THROUGH_TYPES,
  MAX_WESH_EVENT_PAYLOAD_BYTES,
  isWeshPassThroughType,
  validateWeshEvent,
  weshEventDevice,
  withAuthorDevice,
  weshEventName,
  type WeshPassThroughType,
  type WeshEventBody
} from './wesh-events'
