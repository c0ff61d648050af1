import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActivitiesModule } from '../activities/activities.module';
import { HomesModule } from '../homes/homes.module';
import { ResidentsModule } from '../residents/residents.module';
import { NewsPost } from './entities/news-post.entity';
import { PhotoSetting } from './entities/photo-setting.entity';
import { PhotoTag } from './entities/photo-tag.entity';
import { Photo } from './entities/photo.entity';
import { NewsController } from './news.controller';
import { NewsService } from './news.service';
import { PhotoFiles } from './photo-files';
import { PhotosController } from './photos.controller';
import { PhotosService } from './photos.service';

/** Activity photos (tagged residents, the visibility rule), news posts and each relative's news feed (issue 16, item 4). */
@Module({
  imports: [TypeOrmModule.forFeature([Photo, PhotoTag, NewsPost, PhotoSetting]), ActivitiesModule, ResidentsModule, HomesModule],
  controllers: [PhotosController, NewsController],
  providers: [PhotosService, NewsService, PhotoFiles],
  exports: [PhotosService],
})
export class PhotosModule {}
