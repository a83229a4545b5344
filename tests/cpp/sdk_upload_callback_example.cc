#include <alibabacloud/oss/OssClient.h>
using namespace AlibabaCloud::OSS;

/*
 * The upload-callback program of the official OSS C++ SDK documentation ("Upload callbacks
 * (C++ SDK)"), with exactly its calls in its order. tests/cpp_sdk.rs replaces only the four
 * placeholder strings below (endpoint, region, bucket, callback server), compiles it with
 * `c++ -std=c++11 -Wall -Wextra -Werror -I include` and runs it against the emulator.
 * It is a .cc file so that the generic runner (tests/c_api.rs, *.cpp) leaves it alone.
 */
int main(void)
{
    /* The endpoint of the bucket's region, e.g. https://oss-cn-hangzhou.aliyuncs.com. */
    std::string Endpoint = "yourEndpoint";
    /* The bucket's region, e.g. cn-hangzhou. */
    std::string Region = "yourRegion";
    /* The bucket, e.g. examplebucket. */
    std::string BucketName = "examplebucket";
    /* The full path of the object, without the bucket name. */
    std::string ObjectName = "exampledir/exampleobject.txt";
    /* The callback server. */
    std::string ServerName = "https://example.aliyundoc.com:23450";

    /* Initialise network resources. */
    InitializeSdk();

    ClientConfiguration conf;
    conf.signatureVersion = SignatureVersionType::V4;
    /* Credentials from OSS_ACCESS_KEY_ID and OSS_ACCESS_KEY_SECRET. */
    auto credentialsProvider = std::make_shared<EnvironmentVariableCredentialsProvider>();
    OssClient client(Endpoint, credentialsProvider, conf);
    client.SetRegion(Region);

    std::shared_ptr<std::iostream> content = std::make_shared<std::stringstream>();
    *content << "Thank you for using Aliyun Object Storage Service!";

    /* The upload callback. */
    std::string callbackBody = "bucket=${bucket}&object=${object}&etag=${etag}&size=${size}&mimeType=${mimeType}&my_var1=${x:var1}";
    ObjectCallbackBuilder builder(ServerName, callbackBody, "", ObjectCallbackBuilder::Type::URL);
    std::string value = builder.build();
    ObjectCallbackVariableBuilder varBuilder;
    varBuilder.addCallbackVariable("x:var1", "value1");
    std::string varValue = varBuilder.build();
    PutObjectRequest request(BucketName, ObjectName, content);
    request.MetaData().addHeader("x-oss-callback", value);
    request.MetaData().addHeader("x-oss-callback-var", varValue);
    auto outcome = client.PutObject(request);

    if (!outcome.isSuccess()) {
        /* Handle the error. */
        std::cout << "PutObject fail" <<
        ",code:" << outcome.error().Code() <<
        ",message:" << outcome.error().Message() <<
        ",requestId:" << outcome.error().RequestId() << std::endl;
        ShutdownSdk();
        return -1;
    }

    /* Release network resources. */
    ShutdownSdk();
    return 0;
}
