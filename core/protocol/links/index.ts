export { BertyLinkError, type BertyLinkErrorCode } from './errors'
export {
  formatBertyLink,
  parseBertyLink,
  type BertyContactLink,
  type BertyGroupLink,
  type BertyLinkForm,
  type ParsedBertyLink
} from './berty-link'
export { LINK_INTERNAL_PREFIX, LINK_WEB_PREFIX, MAX_LINK_LENGTH, marshalBertyLink, unmarshalBertyLink } from './wire'
