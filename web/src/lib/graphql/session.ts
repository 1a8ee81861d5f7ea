import { graphql } from './graphql.ts';

export const ViewerFields = graphql(`
  fragment ViewerFields on User {
    id
    name
    email
    locale
    isAdmin
    memberships {
      role
      status
      declineReason
      community { id name slug centerLat centerLng }
    }
    coordinatedCommunities { id name slug centerLat centerLng }
    intakeCommunities { id name slug centerLat centerLng }
  }
`);

export const MeQuery = graphql(
  `
    query Me {
      me { ...ViewerFields }
    }
  `,
  [ViewerFields],
);

export const SignInMutation = graphql(`
  mutation SignIn($email: String!, $password: String!) {
    signIn(email: $email, password: $password) { expiresAt user { id } }
  }
`);

export const SignUpMutation = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) { expiresAt user { id } }
  }
`);

export const SignOutMutation = graphql(`
  mutation SignOut { signOut }
`);

export const CommunitiesQuery = graphql(`
  query Communities {
    communities { id name slug area kind centerLat centerLng viewerRole joinPolicy }
  }
`);

export const JoinCommunityMutation = graphql(`
  mutation JoinCommunity($communityId: ID!, $note: String) {
    joinCommunity(communityId: $communityId, note: $note) { role status community { id viewerRole } }
  }
`);

/** The signed-in user's own profile, as the profile form edits it. */
export const ProfileFields = graphql(`
  fragment ProfileFields on User {
    id
    name
    email
    phone
    locale
    skills
    homeArea
    homeLat
    homeLng
    availableDays
    availableFromHour
    availableToHour
    notifyEmail
    notifyInApp
    mutedKinds
    quietFromHour
    quietToHour
  }
`);

export const ProfileQuery = graphql(
  `
    query Profile {
      me { ...ProfileFields }
    }
  `,
  [ProfileFields],
);

export const UpdateProfileMutation = graphql(
  `
    mutation UpdateProfile($input: UpdateProfileInput!) {
      updateProfile(input: $input) { ...ProfileFields }
    }
  `,
  [ProfileFields],
);
