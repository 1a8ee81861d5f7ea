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
      community { id name slug centerLat centerLng }
    }
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
    communities { id name slug area kind centerLat centerLng viewerRole }
  }
`);

export const JoinCommunityMutation = graphql(`
  mutation JoinCommunity($communityId: ID!) {
    joinCommunity(communityId: $communityId) { role community { id viewerRole } }
  }
`);
