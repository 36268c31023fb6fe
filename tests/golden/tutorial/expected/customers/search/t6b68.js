C360.tokens("6b68",["khan",4,"khan",36]);
