/**
 * Campaign and segment endpoints (issue 16): the console's segment editor (live count, saved
 * segments), campaign composer (preview, test send), schedule, owner approval, pause / resume /
 * cancel, live progress and funnel; the mini-program's tracked-link open. Spread into the
 * contract table.
 */
import { z } from 'zod';
import { access } from './auth';
import {
  Campaign,
  CampaignClickRequest,
  CampaignClickResult,
  CampaignFunnel,
  CampaignInput,
  CampaignList,
  CampaignPreview,
  ScheduleCampaignRequest,
  Segment,
  SegmentCount,
  SegmentInput,
  SegmentList,
  SegmentRules,
  TestSendRequest,
  TestSendResult,
} from './campaigns';
import { endpoint } from './endpoint';

const Id = z.object({ id: z.string().min(1).max(40) });
const marketing = access.staff('owner', 'marketer');

export const campaignEndpoints = {
  listSegments: endpoint({
    method: 'GET',
    path: '/api/admin/segments',
    summary: 'Saved follower segments with their current counts',
    access: marketing,
    response: SegmentList,
  }),
  countSegment: endpoint({
    method: 'POST',
    path: '/api/admin/segments/count',
    summary: 'How many followers match these rules now (the editor’s live count)',
    access: marketing,
    body: z.object({ rules: SegmentRules }),
    response: SegmentCount,
  }),
  createSegment: endpoint({
    method: 'POST',
    path: '/api/admin/segments',
    summary: 'Save a segment',
    access: marketing,
    body: SegmentInput,
    response: Segment,
  }),
  updateSegment: endpoint({
    method: 'PUT',
    path: '/api/admin/segments/:id',
    summary: 'Change a saved segment’s name or rules',
    access: marketing,
    params: Id,
    body: SegmentInput,
    response: Segment,
  }),
  listCampaigns: endpoint({
    method: 'GET',
    path: '/api/admin/campaigns',
    summary: 'Campaigns, newest first, with their progress counts',
    access: marketing,
    response: CampaignList,
  }),
  getCampaign: endpoint({
    method: 'GET',
    path: '/api/admin/campaigns/:id',
    summary: 'One campaign with its live progress (the progress bar polls this)',
    access: marketing,
    params: Id,
    response: Campaign,
  }),
  createCampaign: endpoint({
    method: 'POST',
    path: '/api/admin/campaigns',
    summary: 'A draft campaign: channel and content, audience',
    access: marketing,
    body: CampaignInput,
    response: Campaign,
  }),
  updateCampaign: endpoint({
    method: 'PUT',
    path: '/api/admin/campaigns/:id',
    summary: 'Edit a draft (or a campaign awaiting approval, which returns it to draft)',
    access: marketing,
    params: Id,
    body: CampaignInput,
    response: Campaign,
  }),
  previewCampaign: endpoint({
    method: 'GET',
    path: '/api/admin/campaigns/:id/preview',
    summary: 'The message as the follower sees it (the phone frame), its recipients now, quiet hours and approval',
    access: marketing,
    params: Id,
    response: CampaignPreview,
  }),
  testSendCampaign: endpoint({
    method: 'POST',
    path: '/api/admin/campaigns/:id/test-send',
    summary: 'Send the message to one staff member’s openid now (not counted in the campaign)',
    access: marketing,
    params: Id,
    body: TestSendRequest,
    response: TestSendResult,
  }),
  scheduleCampaign: endpoint({
    method: 'POST',
    path: '/api/admin/campaigns/:id/schedule',
    summary: 'Send now or at a time; above the approval threshold a marketer’s campaign waits for the owner',
    access: marketing,
    params: Id,
    body: ScheduleCampaignRequest,
    response: Campaign,
  }),
  approveCampaign: endpoint({
    method: 'POST',
    path: '/api/admin/campaigns/:id/approve',
    summary: 'The owner approves a campaign above the approval threshold',
    access: access.staff('owner'),
    params: Id,
    response: Campaign,
  }),
  pauseCampaign: endpoint({
    method: 'POST',
    path: '/api/admin/campaigns/:id/pause',
    summary: 'Stop sending; recipients not yet sent wait',
    access: marketing,
    params: Id,
    response: Campaign,
  }),
  resumeCampaign: endpoint({
    method: 'POST',
    path: '/api/admin/campaigns/:id/resume',
    summary: 'Continue a paused campaign',
    access: marketing,
    params: Id,
    response: Campaign,
  }),
  cancelCampaign: endpoint({
    method: 'POST',
    path: '/api/admin/campaigns/:id/cancel',
    summary: 'Stop for good; recipients not yet sent are skipped',
    access: marketing,
    params: Id,
    response: Campaign,
  }),
  campaignFunnel: endpoint({
    method: 'GET',
    path: '/api/admin/campaigns/:id/funnel',
    summary: 'Targeted → sent → delivered → clicked → ordered → GMV',
    access: marketing,
    params: Id,
    response: CampaignFunnel,
  }),
  clickCampaign: endpoint({
    method: 'POST',
    path: '/api/campaigns/:id/click',
    summary: 'The buyer opened a campaign’s tracked link (the page path carried cmp=<id>)',
    access: access.buyer,
    params: Id,
    body: CampaignClickRequest,
    response: CampaignClickResult,
  }),
};
