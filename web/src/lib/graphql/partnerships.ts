// Partnerships (pairings, teams, pledges and disbursements), the recovery road map, outcome indicators.
import { graphql } from './graphql.ts';
import { NeedSummary } from './needs.ts';

export const MoneyFields = graphql(`
  fragment MoneyFields on Money {
    amountMinor
    currency
  }
`);

export const PartnershipSummary = graphql(
  `
    fragment PartnershipSummary on Partnership {
      id
      status
      startDate
      endDate
      termYears
      israeliCommunity { id name area }
      abroadCommunity { id name area country }
      yearlyPledge { ...MoneyFields }
      team { id name role side }
      pledged { ...MoneyFields }
      disbursed { ...MoneyFields }
      remaining { ...MoneyFields }
    }
  `,
  [MoneyFields],
);

export const PartnershipsQuery = graphql(
  `
    query Partnerships {
      partnerships { ...PartnershipSummary }
    }
  `,
  [PartnershipSummary],
);

export const PartnershipQuery = graphql(
  `
    query Partnership($id: ID!) {
      node(id: $id) {
        ... on Partnership {
          ...PartnershipSummary
          pledges { year amount { ...MoneyFields } }
          disbursements { id paidAt note amount { ...MoneyFields } goal { id title } }
        }
      }
    }
  `,
  [PartnershipSummary, MoneyFields],
);

export const GoalFields = graphql(
  `
    fragment GoalFields on RecoveryGoal {
      id
      title
      domain
      status
      ownerName
      targetDate
      progress
      budget { ...MoneyFields }
      disbursed { ...MoneyFields }
      milestones { id title dueDate doneAt onTime ownerName }
      needs { ...NeedSummary }
    }
  `,
  [MoneyFields, NeedSummary],
);

export const RoadmapQuery = graphql(
  `
    query Roadmap($communityId: ID!) {
      recoveryRoadmap(communityId: $communityId) { ...GoalFields }
    }
  `,
  [GoalFields],
);

export const AddMilestoneMutation = graphql(`
  mutation AddMilestone($goalId: ID!, $title: String!, $dueDate: DateTime!, $ownerName: String) {
    addMilestone(goalId: $goalId, title: $title, dueDate: $dueDate, ownerName: $ownerName) { id title dueDate doneAt onTime ownerName }
  }
`);

export const CompleteMilestoneMutation = graphql(`
  mutation CompleteMilestone($milestoneId: ID!) {
    completeMilestone(milestoneId: $milestoneId) { id doneAt onTime }
  }
`);

export const RecordDisbursementMutation = graphql(`
  mutation RecordDisbursement($partnershipId: ID!, $amountMinor: String!, $currency: String!, $goalId: ID, $paidAt: DateTime, $note: String) {
    recordDisbursement(partnershipId: $partnershipId, amountMinor: $amountMinor, currency: $currency, goalId: $goalId, paidAt: $paidAt, note: $note) { id }
  }
`);

export const IndicatorsQuery = graphql(`
  query Indicators($communityIds: [ID!], $period: IndicatorPeriod!, $from: DateTime!, $to: DateTime!) {
    needIndicators(communityIds: $communityIds, period: $period, from: $from, to: $to) {
      periodStart
      category
      needsReceived
      needsMet
      medianMinutesToClaim
      medianMinutesToComplete
      criticalReceived
      criticalMetWithin24h
      criticalMetWithin24hShare
    }
    volunteerIndicators(communityIds: $communityIds, period: $period, from: $from, to: $to) { periodStart active returning }
  }
`);

/** The overall figures (all categories) of several communities, for comparing them. */
export const CompareIndicatorsQuery = graphql(`
  query CompareIndicators($communityIds: [ID!], $period: IndicatorPeriod!, $from: DateTime!, $to: DateTime!) {
    needIndicators(communityIds: $communityIds, period: $period, from: $from, to: $to) {
      community { id }
      periodStart
      category
      needsReceived
      needsMet
      medianMinutesToClaim
      criticalMetWithin24hShare
    }
    volunteerIndicators(communityIds: $communityIds, period: $period, from: $from, to: $to) { community { id } periodStart active }
  }
`);

export const IndicatorNeedsQuery = graphql(
  `
    query IndicatorNeeds($communityId: ID!, $period: IndicatorPeriod!, $periodStart: DateTime!, $measure: IndicatorMeasure!, $category: NeedCategory) {
      indicatorNeeds(communityId: $communityId, period: $period, periodStart: $periodStart, measure: $measure, category: $category) { ...NeedSummary }
    }
  `,
  [NeedSummary],
);
