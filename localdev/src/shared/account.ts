// The one AWS account id of everything local: LocalStack's default account, and the kit's in every ARN it makes.
export const LOCAL_ACCOUNT_ID = "000000000000";
