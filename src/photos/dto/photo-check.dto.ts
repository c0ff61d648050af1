import { OptionalIdList } from '../../common/http/form-fields';

/** A staff check of a volunteer's photo: everyone in it, ticked (none ticked: nobody). */
export class PhotoCheckDto {
  @OptionalIdList(500)
  residentIds?: string[];
}
